package io.openautoglm.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The one option parser: typed reads, the one boolean dialect, and errors that name kind and key, never the value. */
class OptionReaderTest {
    private static final String KIND = "test option";
    private static final String SECRET = "sk-SECRET-123";

    private static OptionReader reader(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return OptionReader.of(KIND, m);
    }

    /** Asserts the read fails with a message naming the kind and the key and holding none of the value. */
    private static String refused(String key, String value, Function<OptionReader, ?> read) {
        OptionReader r = reader(key, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read.apply(r));
        String m = e.getMessage();
        assertTrue(m.contains(KIND) && m.contains(key), m);
        // short values ("on", "1") occur in any message by chance; noErrorRepeatsTheValue plants a long one
        if (value.strip().length() >= 4) {
            assertFalse(m.contains(value.strip()), "the value is not repeated: " + m);
        }
        return m;
    }

    @Test
    void absentKeysGiveTheFallback() {
        OptionReader r = reader();
        assertEquals("x", r.string("k", "x"));
        assertEquals(null, r.string("k", null));
        assertEquals(7, r.integer("k", 7));
        assertEquals(7, r.integer("k", 7, 8, 10), "the fallback is not range-checked");
        assertEquals(7L, r.longValue("k", 7L));
        assertEquals(0.5, r.decimal("k", 0.5));
        assertTrue(r.bool("k", true));
        assertEquals("b", r.choice("k", "b", List.of("a", "b")));
        assertFalse(r.has("k"));
    }

    @Test
    void eachReadSucceedsOnAGoodValue() {
        OptionReader r =
                reader("s", "  hello ", "i", " 42 ", "l", "4294967297", "d", "0.25", "b", "true", "c", " MEAN ");
        assertEquals("hello", r.string("s", null));
        assertEquals(42, r.integer("i", 0));
        assertEquals(42, r.integer("i", 0, 8, 42), "bounds are inclusive");
        assertEquals(4294967297L, r.longValue("l", 0));
        assertEquals(4294967297L, r.longValue("l", 0, 1, Long.MAX_VALUE));
        assertEquals(0.25, r.decimal("d", 0));
        assertEquals(0.25, r.decimal("d", 0, 0, 1));
        assertTrue(r.bool("b", false));
        assertEquals("mean", r.choice("c", "cls", List.of("cls", "mean")), "returned as spelt in the allowed list");
        assertTrue(r.has("s"));
        assertEquals(Set.of("s", "i", "l", "d", "b", "c"), r.keys());
        assertEquals(KIND, r.kind());
    }

    @Test
    void oneBooleanDialect() {
        for (String t : List.of("true", "TRUE", "True", " true ")) {
            assertTrue(reader("b", t).bool("b", false), t);
        }
        for (String f : List.of("false", "FALSE", " false\t")) {
            assertFalse(reader("b", f).bool("b", true), f);
        }
        for (String other : List.of("yes", "no", "1", "0", "on", "off", "y", "maybe")) {
            String m = refused("flag", other, r -> r.bool("flag", false));
            assertEquals("test option flag: expected true or false", m);
        }
        assertTrue(refused("flag", "", r -> r.bool("flag", false)).contains("empty"));
    }

    @Test
    void integersAreCheckedAgainstTheirRange() {
        assertEquals(
                "test option n: expected an integer between 8 and 8192",
                refused("n", "7", r -> r.integer("n", 256, 8, 8192)));
        assertEquals(
                "test option n: expected an integer between 8 and 8192",
                refused("n", "8193", r -> r.integer("n", 256, 8, 8192)));
        assertEquals(
                "test option n: expected an integer of at least 1",
                refused("n", "lots", r -> r.integer("n", 1, 1, Integer.MAX_VALUE)));
        assertEquals(
                "test option n: expected an integer between 1 and 2147483647",
                refused("n", "3000000000", r -> r.integer("n", 1, 1, Integer.MAX_VALUE)),
                "past the int range, the upper bound is shown");
        assertEquals("test option n: expected an integer", refused("n", "1.5", r -> r.integer("n", 0)));
        assertEquals(
                "test option n: expected an integer of at most 9223372036854775807",
                refused("n", "99999999999999999999", r -> r.longValue("n", 0)));
        assertEquals(
                "test option n: expected an integer of at least 0",
                refused("n", "-1", r -> r.longValue("n", 0, 0, Long.MAX_VALUE)));
        assertTrue(refused("n", " ", r -> r.integer("n", 0)).endsWith("got an empty value"));
    }

    @Test
    void decimalsAreFiniteAndInRange() {
        for (String bad : List.of("NaN", "Infinity", "-Infinity", "1e999", "half")) {
            assertEquals("test option x: expected a finite number", refused("x", bad, r -> r.decimal("x", 0)), bad);
        }
        assertEquals(
                "test option x: expected a finite number between 0 and 1",
                refused("x", "1.5", r -> r.decimal("x", 0, 0, 1)));
        assertEquals(
                "test option x: expected a finite number between -0.5 and 0.5",
                refused("x", "0.75", r -> r.decimal("x", 0, -0.5, 0.5)));
        assertEquals(
                "test option x: expected a finite number of at least 0",
                refused("x", "-1", r -> r.decimal("x", 0, 0, Double.POSITIVE_INFINITY)));
    }

    @Test
    void choicesNameTheAllowedValues() {
        assertEquals(
                "test option method: expected one of threshold, head",
                refused("method", "bm25", r -> r.choice("method", "threshold", List.of("threshold", "head"))));
    }

    @Test
    void noErrorRepeatsTheValue() {
        List<Function<OptionReader, ?>> reads = List.of(
                r -> r.bool("k", false),
                r -> r.integer("k", 0),
                r -> r.integer("k", 0, 1, 5),
                r -> r.longValue("k", 0),
                r -> r.longValue("k", 0, 1, 5),
                r -> r.decimal("k", 0),
                r -> r.decimal("k", 0, 0, 1),
                r -> r.choice("k", "a", List.of("a", "b")),
                r -> r.requireKnown(Set.of("apiKey")));
        for (Function<OptionReader, ?> read : reads) {
            String m = refused("k", SECRET, read);
            assertFalse(m.contains("SECRET"), m);
        }
        assertFalse(reader("apiKey", SECRET).toString().contains(SECRET));
    }

    @Test
    void unknownKeysAreRefusedWithTheKnownOnes() {
        OptionReader r = reader("maxToken", SECRET, "apikey", SECRET, "threads", "2");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> r.requireKnown(Set.of("threads", "maxTokens", "apiKey")));
        assertEquals("unknown test options 'apikey', 'maxToken'; known: apiKey, maxTokens, threads", e.getMessage());
        IllegalArgumentException one = assertThrows(
                IllegalArgumentException.class, () -> reader("maxToken", "1").requireKnown(Set.of("maxTokens")));
        assertEquals("unknown test option 'maxToken'; known: maxTokens", one.getMessage());
        OptionReader known = reader("threads", "2");
        assertSame(known, known.requireKnown(Set.of("threads", "maxTokens")));
        assertSame(known, known.requireKnown(Set.of("threads")));
    }

    @Test
    void invalidFormsTheSameMessage() {
        assertEquals(
                "test option budget: expected a positive amount",
                reader().invalid("budget", "expected a positive amount").getMessage());
    }

    @Test
    void theMapIsCopiedAndNullsAreRefusedByKey() {
        Map<String, String> m = new HashMap<>(Map.of("a", "1"));
        OptionReader r = OptionReader.of(KIND, m);
        m.put("a", "2");
        assertEquals(1, r.integer("a", 0));
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("apiKey", null);
        assertMessage("test option apiKey: the value is null", () -> OptionReader.of(KIND, nullValue));
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, SECRET);
        assertMessage("test option: a key is null", () -> OptionReader.of(KIND, nullKey));
        assertThrows(IllegalArgumentException.class, () -> OptionReader.of(" ", Map.of()));
        assertThrows(NullPointerException.class, () -> OptionReader.of(KIND, null));
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(
                expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
