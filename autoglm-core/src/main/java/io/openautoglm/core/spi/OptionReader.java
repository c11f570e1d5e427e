package io.openautoglm.core.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a map of string options (a provider's model options, a task's options) into typed values, the same way for
 * every provider. Immutable and thread-safe.
 *
 * <ul>
 *   <li>An absent key gives the fallback. A present value is read with surrounding whitespace ignored; an empty value
 *       is not a number or a boolean.</li>
 *   <li>Booleans are exactly {@code true} or {@code false}, in any case; {@code yes}, {@code 1} or {@code on} are
 *       refused.</li>
 *   <li>Numbers must be finite and, where a range is given, inside it (bounds included).</li>
 *   <li>Every error is an {@link IllegalArgumentException} whose message names the kind and the key, e.g.
 *       {@code local model option maxTokens: expected an integer between 8 and 8192}. No message repeats the value:
 *       an options map may hold an API key put under the wrong key.</li>
 * </ul>
 *
 * <pre>{@code
 * OptionReader options = OptionReader.of("local model option", map).requireKnown(Set.of("maxTokens", "spinning"));
 * int maxTokens = options.integer("maxTokens", 256, 8, 8192);
 * boolean spinning = options.bool("spinning", false);
 * if (badCombination) {
 *     throw options.invalid("spinning", "needs threads other than 1");
 * }
 * }</pre>
 */
public final class OptionReader {
    private final String kind;
    private final Map<String, String> options;

    private OptionReader(String kind, Map<String, String> options) {
        this.kind = kind;
        this.options = options;
    }

    /**
     * A reader over a copy of {@code options}.
     *
     * @param kind    what the options are, for messages: {@code "local model option"}, {@code "task option"}, …
     * @param options the options; later changes to the map are not seen
     * @throws IllegalArgumentException when the kind is blank, or the map holds a null key or a null value
     */
    public static OptionReader of(String kind, Map<String, String> options) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(options, "options");
        if (kind.isBlank()) {
            throw new IllegalArgumentException("kind: expected a word for messages, such as \"task option\"");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (k == null) {
                throw new IllegalArgumentException(kind + ": a key is null");
            }
            if (v == null) {
                throw new IllegalArgumentException(kind + " " + k + ": the value is null");
            }
            copy.put(k, v);
        });
        return new OptionReader(kind, java.util.Collections.unmodifiableMap(copy));
    }

    /** What the options are, as given to {@link #of}. */
    public String kind() {
        return kind;
    }

    /** The keys present. */
    public Set<String> keys() {
        return options.keySet();
    }

    /** Whether the key is present (with any value). */
    public boolean has(String key) {
        return options.containsKey(key);
    }

    /**
     * Refuses any key not in {@code known}, so that a misspelt key is not silently ignored. The message names the
     * unknown keys and lists the known ones.
     *
     * @return this reader
     */
    public OptionReader requireKnown(Set<String> known) {
        Objects.requireNonNull(known, "known");
        TreeSet<String> unknown = new TreeSet<>();
        for (String k : options.keySet()) {
            if (!known.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            List<String> quoted = new ArrayList<>();
            unknown.forEach(k -> quoted.add("'" + k + "'"));
            throw new IllegalArgumentException("unknown " + kind + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", quoted) + "; known: " + String.join(", ", new TreeSet<>(known)));
        }
        return this;
    }

    /** The value with surrounding whitespace removed, or {@code fallback} when the key is absent. */
    public String string(String key, String fallback) {
        String v = options.get(key);
        return v == null ? fallback : v.strip();
    }

    /**
     * One of {@code allowed}, matched ignoring case and surrounding whitespace, returned as spelt in {@code allowed};
     * {@code fallback} when the key is absent.
     *
     * @throws IllegalArgumentException naming the allowed values when the value is none of them
     */
    public String choice(String key, String fallback, Collection<String> allowed) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        String s = v.strip();
        for (String a : allowed) {
            if (a.equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw invalid(key, "expected one of " + String.join(", ", allowed), v);
    }

    /** {@code true} or {@code false}, in any case; {@code fallback} when the key is absent. */
    public boolean bool(String key, boolean fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, "expected true or false", v);
        };
    }

    /** An integer of the int range; {@code fallback} when the key is absent. */
    public int integer(String key, int fallback) {
        return integer(key, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** An integer in {@code [min, max]}; {@code fallback} (not checked) when the key is absent. */
    public int integer(String key, int fallback, int min, int max) {
        return (int) whole(key, fallback, min, max);
    }

    /** An integer of the long range; {@code fallback} when the key is absent. */
    public long longValue(String key, long fallback) {
        return longValue(key, fallback, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** An integer in {@code [min, max]}; {@code fallback} (not checked) when the key is absent. */
    public long longValue(String key, long fallback, long min, long max) {
        return whole(key, fallback, min, max);
    }

    /** A finite number; {@code fallback} when the key is absent. */
    public double decimal(String key, double fallback) {
        return decimal(key, fallback, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** A finite number in {@code [min, max]}; {@code fallback} (not checked) when the key is absent. */
    public double decimal(String key, double fallback, double min, double max) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        double d;
        try {
            d = Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!Double.isFinite(d) || d < min || d > max) {
            String range = range(
                    min > Double.NEGATIVE_INFINITY ? number(min) : null,
                    max < Double.POSITIVE_INFINITY ? number(max) : null);
            throw invalid(key, "expected a finite number" + range, v);
        }
        return d;
    }

    /**
     * An error in this reader's form, {@code "<kind> <key>: <problem>"}, for checks the typed reads cannot make
     * (a value that must be positive, an option that needs another). Do not put the value in {@code problem}.
     */
    public IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException(kind + " " + key + ": " + problem);
    }

    /** Names the kind and the keys; never the values. */
    @Override
    public String toString() {
        return "OptionReader[" + kind + ": " + String.join(", ", options.keySet()) + "]";
    }

    private long whole(String key, long fallback, long min, long max) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        String s = v.strip();
        int side; // below the range, not a number, above the range
        try {
            long n = Long.parseLong(s);
            if (n >= min && n <= max) {
                return n;
            }
            side = n < min ? -1 : 1;
        } catch (NumberFormatException e) {
            side = s.matches("[+-]?[0-9]+") ? (s.startsWith("-") ? -1 : 1) : 0; // past the long range, or no number
        }
        boolean intRange = min >= Integer.MIN_VALUE && max <= Integer.MAX_VALUE;
        // a bound is shown when it is narrower than the type's, or when the value lies beyond it
        boolean showMin = min > (intRange ? Integer.MIN_VALUE : Long.MIN_VALUE) || side < 0;
        boolean showMax = max < (intRange ? Integer.MAX_VALUE : Long.MAX_VALUE) || side > 0;
        throw invalid(
                key,
                "expected an integer" + range(showMin ? Long.toString(min) : null, showMax ? Long.toString(max) : null),
                v);
    }

    private static String range(String min, String max) {
        if (min != null && max != null) {
            return " between " + min + " and " + max;
        }
        if (min != null) {
            return " of at least " + min;
        }
        return max != null ? " of at most " + max : "";
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private IllegalArgumentException invalid(String key, String expected, String value) {
        return invalid(key, value.isBlank() ? expected + ", got an empty value" : expected);
    }
}
