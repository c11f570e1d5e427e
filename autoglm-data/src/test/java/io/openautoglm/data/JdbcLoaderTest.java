package io.openautoglm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.DataException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.ErrorMode;
import io.openautoglm.core.RecordCursor;
import io.openautoglm.core.TextRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real embedded H2 database, in memory. */
class JdbcLoaderTest {
    private static final String URL = "jdbc:h2:mem:loader;DB_CLOSE_DELAY=-1";
    private Connection keepAlive;

    @BeforeEach
    void createTable() throws SQLException {
        keepAlive = DriverManager.getConnection(URL, "sa", "s3cret");
        try (Statement s = keepAlive.createStatement()) {
            s.execute("DROP ALL OBJECTS");
            s.execute("CREATE TABLE review (id INT PRIMARY KEY, body VARCHAR(200), stars INT, city VARCHAR(20),"
                    + " posted DATE, ents VARCHAR(500), pic VARBINARY(10))");
            for (int i = 1; i <= 50; i++) {
                s.execute("INSERT INTO review VALUES (" + i + ", '评论" + i + "', " + (i % 5 + 1) + ", '"
                        + (i % 2 == 0 ? "杭州" : "上海") + "', DATE '2024-01-" + String.format("%02d", i % 28 + 1)
                        + "', '[]', NULL)");
            }
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Statement s = keepAlive.createStatement()) {
            s.execute("DROP ALL OBJECTS");
        }
        keepAlive.close();
    }

    private static JdbcDataSource dataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(URL);
        ds.setUser("sa");
        ds.setPassword("s3cret");
        return ds;
    }

    @Test
    void readsRowsWithParametersAndFetchSize() {
        Dataset d = DataLoader.fromJdbc(
                        dataSource(),
                        "SELECT id, body, stars, city FROM review WHERE stars >= ? AND city = ? ORDER BY id",
                        4,
                        "杭州")
                .fetchSize(3)
                .load(Columns.builder()
                        .id("id")
                        .text("body")
                        .label("stars")
                        .metadata("city")
                        .build());
        List<TextRecord> all = d.toList();
        assertEquals(10, all.size());
        TextRecord first = all.get(0);
        assertEquals("4", first.id());
        assertEquals("评论4", first.text());
        assertEquals("5", first.label());
        assertEquals(Map.of("city", "杭州"), first.metadata());
        assertTrue(d.name().startsWith("jdbc:SELECT id, body, stars, city FROM rev"), d.name());
        assertTrue(first.source().endsWith(":1"), first.source());
        assertEquals(all, d.toList(), "each open runs the query again");
    }

    @Test
    void urlWithUserAndPasswordNeverShowsThePassword() {
        DataLoader loader = DataLoader.fromJdbc(
                        URL, "sa", "s3cret".toCharArray(), "SELECT body FROM review ORDER BY id")
                .fetchSize(10);
        assertFalse(loader.toString().contains("s3cret"), loader.toString());
        Dataset d = loader.load("body");
        assertFalse(d.toString().contains("s3cret"), d.toString());
        assertEquals(50, d.toList().size());

        DataLoader inUrl = DataLoader.fromJdbc(URL + ";USER=sa;PASSWORD=s3cret", "SELECT body FROM review");
        assertFalse(inUrl.toString().contains("s3cret"), inUrl.toString());
        assertEquals(50, inUrl.load("body").toList().size());

        DataException wrong = assertThrows(
                DataException.class,
                () -> DataLoader.fromJdbc(URL, "sa", "wrong-pass".toCharArray(), "SELECT body FROM review")
                        .load("body"));
        assertFalse(wrong.getMessage().contains("wrong-pass"), wrong.getMessage());
    }

    @Test
    void columnsMatchIgnoringCaseAndOthersBecomeMetadata() {
        TextRecord r = DataLoader.fromJdbc(dataSource(), "SELECT id, body, city, posted FROM review WHERE id = ?", 7)
                .load(Columns.builder()
                        .id("ID")
                        .text("Body")
                        .allOtherColumnsAsMetadata()
                        .build())
                .toList()
                .get(0);
        assertEquals("7", r.id());
        assertEquals(Map.of("CITY", "上海", "POSTED", "2024-01-08"), r.metadata());
    }

    @Test
    void unknownColumnFailsAtLoadListingTheColumns() {
        DataException e = assertThrows(
                DataException.class,
                () -> DataLoader.fromJdbc(dataSource(), "SELECT id, body FROM review")
                        .load("text", "stars"));
        assertTrue(e.getMessage().contains("unknown column 'text'"), e.getMessage());
        assertTrue(e.getMessage().contains("[ID, BODY]"), e.getMessage());
    }

    @Test
    void binaryColumnIsTheWrongType() {
        DataException e = assertThrows(
                DataException.class,
                () -> DataLoader.fromJdbc(dataSource(), "SELECT pic FROM review")
                        .load("pic"));
        assertTrue(e.getMessage().contains("is binary"), e.getMessage());
    }

    @Test
    void badSqlFailsAtLoad() {
        DataException e = assertThrows(
                DataException.class,
                () -> DataLoader.fromJdbc(dataSource(), "SELECT nope FROM review")
                        .load("nope"));
        assertTrue(e.getMessage().startsWith("jdbc:SELECT nope FROM review: cannot prepare the query"), e.getMessage());
    }

    @Test
    void nullTextOrLabelIsABadRowInBothModes() throws SQLException {
        try (Statement s = keepAlive.createStatement()) {
            s.execute("UPDATE review SET body = NULL WHERE id = 3");
            s.execute("UPDATE review SET stars = NULL WHERE id = 5");
        }
        String sql = "SELECT id, body, stars FROM review ORDER BY id";
        Columns cols = Columns.builder().id("id").text("body").label("stars").build();
        DataException e = assertThrows(
                DataException.class,
                () -> DataLoader.fromJdbc(dataSource(), sql).load(cols).toList());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("no text: column 'body' is missing or null"), e.getMessage());

        List<TextRecord> all = DataLoader.fromJdbc(dataSource(), sql)
                .onBadRecord(ErrorMode.COLLECT)
                .load(cols)
                .toList();
        assertEquals(50, all.size());
        List<TextRecord> bad = all.stream().filter(r -> !r.isValid()).toList();
        assertEquals(List.of("3", "5"), bad.stream().map(TextRecord::id).toList());
        assertTrue(bad.get(1).problem().contains("empty label"), bad.get(1).problem());
        assertTrue(bad.get(1).source().endsWith(":5"), bad.get(1).source());
    }

    @Test
    void entitiesFromAJsonColumn() throws SQLException {
        try (Statement s = keepAlive.createStatement()) {
            s.execute(
                    "UPDATE review SET body = '我在杭州', ents = '[{\"start\":2,\"end\":4,\"type\":\"address\",\"mention\":\"杭州\"}]' WHERE id = 1");
        }
        TextRecord r = DataLoader.fromJdbc(dataSource(), "SELECT body, ents FROM review WHERE id = 1")
                .load(Columns.builder().text("body").entities("ents").build())
                .toList()
                .get(0);
        assertEquals("杭州", r.entities().get(0).mention());
    }

    @Test
    void closingACursorEarlyReleasesTheConnection() throws SQLException {
        Dataset d = DataLoader.fromJdbc(URL, "sa", "s3cret".toCharArray(), "SELECT body FROM review ORDER BY id")
                .fetchSize(5)
                .load("body");
        for (int i = 0; i < 20; i++) {
            try (RecordCursor c = d.open()) {
                assertEquals("评论1", c.next().text());
            }
        }
        try (Statement s = keepAlive.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "only the test's own session is left open");
        }
    }

    @Test
    void fetchSizeReachesTheStatementAndAutoCommitIsRestored() throws SQLException {
        List<String> calls = new java.util.ArrayList<>();
        JdbcDataSource real = dataSource();
        javax.sql.DataSource recording = proxy(javax.sql.DataSource.class, real, calls);
        List<TextRecord> all = DataLoader.fromJdbc(recording, "SELECT body FROM review")
                .fetchSize(7)
                .load("body")
                .toList();
        assertEquals(50, all.size());
        assertTrue(calls.contains("setFetchSize[7]"), calls.toString());
        int off = calls.indexOf("setAutoCommit[false]");
        assertTrue(off >= 0 && calls.indexOf("setAutoCommit[true]") > off, calls.toString());
        assertEquals("close[]", calls.get(calls.size() - 1), calls.toString());
    }

    /** Wraps a JDBC object so that it and what it hands out record their setter and close calls. */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, List<String> calls) {
        return (T) java.lang.reflect.Proxy.newProxyInstance(
                type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("set") || name.equals("close")) {
                        calls.add(name + java.util.Arrays.toString(args == null ? new Object[0] : args));
                    }
                    Object result;
                    try {
                        result = method.invoke(target, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    Class<?> rt = method.getReturnType();
                    if (rt == Connection.class || rt == java.sql.PreparedStatement.class) {
                        return proxy(rt, result, calls);
                    }
                    return result;
                });
    }

    @Test
    void twoStringParametersAreParametersNotALogin() {
        List<TextRecord> all = DataLoader.fromJdbc(
                        URL + ";USER=sa;PASSWORD=s3cret",
                        "SELECT body FROM review WHERE city = ? AND body = ?",
                        "杭州",
                        "评论4")
                .load("body")
                .toList();
        assertEquals(1, all.size());
        assertEquals("评论4", all.get(0).text());
    }
}
