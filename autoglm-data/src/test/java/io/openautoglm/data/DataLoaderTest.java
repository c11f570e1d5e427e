package io.openautoglm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.DataException;
import io.openautoglm.core.ErrorMode;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Options: immutable, validated with the field and the value, refused where they do not apply. */
class DataLoaderTest {

    @Test
    void optionsReturnNewLoadersAndLeaveTheOriginalAlone() {
        DataLoader base = DataLoader.fromCsv(Path.of("x.csv"));
        DataLoader tsv = base.delimiter('\t')
                .charset(Charset.forName("GBK"))
                .header(false)
                .onBadRecord(ErrorMode.COLLECT);
        assertNotSame(base, tsv);
        assertTrue(base.toString().contains("delimiter=','"), base.toString());
        assertTrue(base.toString().contains("charset=UTF-8"), base.toString());
        assertTrue(base.toString().contains("onBadRecord=FAIL_FAST"), base.toString());
        assertTrue(tsv.toString().contains("delimiter='\\t'"), tsv.toString());
        assertTrue(tsv.toString().contains("charset=GBK"), tsv.toString());
        assertTrue(tsv.toString().contains("header=false"), tsv.toString());
        assertTrue(tsv.toString().contains("onBadRecord=COLLECT"), tsv.toString());
    }

    @Test
    void badValuesAreNamedInTheMessage() {
        DataLoader csv = DataLoader.fromCsv(Path.of("x.csv"));
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> csv.delimiter('"'));
        assertEquals("delimiter must not be a line break or the quote character, got '\"'", d.getMessage());
        IllegalArgumentException q = assertThrows(IllegalArgumentException.class, () -> csv.quote('\n'));
        assertEquals("quote must not be a line break or the delimiter, got '\\n'", q.getMessage());
        DataLoader jdbc = DataLoader.fromJdbc("jdbc:h2:mem:x", "SELECT 1");
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> jdbc.fetchSize(-1));
        assertEquals("fetchSize must be 0 (driver default) or more, got -1", f.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.fromJdbc("jdbc:h2:mem:x", " "));
        IllegalArgumentException c = assertThrows(
                IllegalArgumentException.class,
                () -> Columns.builder().label("x").build());
        assertTrue(c.getMessage().startsWith("text column must be set"), c.getMessage());
        IllegalArgumentException blank = assertThrows(
                IllegalArgumentException.class, () -> Columns.builder().id(" "));
        assertEquals("id column name must not be blank, got ' '", blank.getMessage());
    }

    @Test
    void optionsThatDoNotApplyAreRefused() {
        DataLoader jsonl = DataLoader.fromJsonl(Path.of("x.jsonl"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> jsonl.delimiter(';'));
        assertTrue(e.getMessage().startsWith("delimiter applies to CSV sources only, not to JSONL"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> jsonl.header(false));
        assertThrows(IllegalStateException.class, () -> jsonl.fetchSize(10));
        assertThrows(
                IllegalStateException.class,
                () -> DataLoader.fromCsv(Path.of("x.csv")).fetchSize(10));
        assertThrows(
                IllegalStateException.class,
                () -> DataLoader.fromJdbc("jdbc:h2:mem:x", "SELECT 1").charset(Charset.forName("GBK")));
    }

    @Test
    void passwordsInUrlsAreMasked() {
        assertEquals(
                "jdbc:postgresql://h/db?user=u&password=****&ssl=true",
                DataLoader.maskUrl("jdbc:postgresql://h/db?user=u&password=hunter2&ssl=true"));
        assertEquals(
                "jdbc:h2:mem:x;USER=sa;PASSWORD=****", DataLoader.maskUrl("jdbc:h2:mem:x;USER=sa;PASSWORD=hunter2"));
        String s = DataLoader.fromJdbc("jdbc:x://h?password=hunter2", "u", "hunter3".toCharArray(), "SELECT 1")
                .toString();
        assertTrue(!s.contains("hunter2") && !s.contains("hunter3"), s);
        assertEquals(
                "jdbc:mysql://reader:****@db.example/shop",
                DataLoader.maskUrl("jdbc:mysql://reader:hunter2@db.example/shop"));
        for (String url : List.of(
                "jdbc:postgresql://user:p;ss@host/db",
                "jdbc:mysql://u:p&ss@h:3306/db",
                "jdbc:mysql://u:p?ss@h/db",
                "jdbc:mariadb://u:p;x=1@h/db")) {
            assertTrue(DataLoader.maskUrl(url).contains(":****@"), url + " -> " + DataLoader.maskUrl(url));
        }
        // an e-mail address as the user of a URL with a port: the port and database stay readable
        assertEquals(
                "jdbc:sqlserver://db.example.com:1433;databaseName=sales;user=ann@corp.com;password=****",
                DataLoader.maskUrl(
                        "jdbc:sqlserver://db.example.com:1433;databaseName=sales;user=ann@corp.com;password=s3cret"));
        assertEquals(
                "jdbc:oracle:thin:scott/****@db.example:1521:orcl",
                DataLoader.maskUrl("jdbc:oracle:thin:scott/tiger@db.example:1521:orcl"));
        assertEquals(
                "jdbc:postgresql://db.example:5432/shop", DataLoader.maskUrl("jdbc:postgresql://db.example:5432/shop"));
    }

    @Test
    void aConnectionFailureDoesNotCarryThePassword() {
        // the driver manager quotes the whole URL: "No suitable driver found for jdbc:nosuchdb://…"
        String url = "jdbc:nosuchdb://reader:hunter1@db.example/shop?user=reader&password=hunter2";
        DataException e = assertThrows(
                DataException.class,
                () -> DataLoader.fromJdbc(url, "SELECT id, body FROM review").load("body"));
        assertTrue(
                e.getMessage().contains("No suitable driver") && e.getMessage().contains("db.example"), e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("hunter"), t.toString());
        }
    }

    @Test
    void columnsAreAValue() {
        Columns a = Columns.builder().id("id").text("t").metadata("m").build();
        Columns b = Columns.builder().id("id").text("t").metadata("m").build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("Columns[id=id, text=t, metadata=[m]]", a.toString());
    }
}
