package io.openautoglm.data;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.ErrorMode;
import io.openautoglm.data.internal.CsvTable;
import io.openautoglm.data.internal.FileSettings;
import io.openautoglm.data.internal.JdbcTable;
import io.openautoglm.data.internal.JsonlTable;
import io.openautoglm.data.internal.Table;
import io.openautoglm.data.internal.TableDataset;
import io.openautoglm.data.internal.TableRowSource;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Reads texts from a CSV file, a JSON Lines file or a SQL query into a streaming {@link Dataset}, or the
 * table's rows themselves into a streaming {@link RowSource}.
 *
 * <pre>{@code
 * Dataset reviews = DataLoader.fromCsv(Path.of("reviews.csv")).load("text", "label");
 *
 * Dataset gbk = DataLoader.fromCsv(Path.of("old.tsv"))
 *         .delimiter('\t').charset(Charset.forName("GBK")).header(false)
 *         .onBadRecord(ErrorMode.COLLECT)
 *         .load("2", "1");                     // without a header, columns are "1", "2", …
 *
 * Dataset ner = DataLoader.fromJsonl(Path.of("dev.jsonl"))
 *         .load(Columns.builder().text("text").entities("entities").build());
 *
 * Dataset rows = DataLoader.fromJdbc(dataSource, "SELECT id, body, stars FROM review WHERE day = ?", day)
 *         .fetchSize(500)
 *         .load(Columns.builder().id("id").text("body").label("stars").build());
 *
 * RowSource edges = DataLoader.fromCsv(Path.of("edges.csv")).rows("src", "dst");   // Row: source, line, values
 * }</pre>
 *
 * <p><b>Streaming.</b> {@code load} and {@code rows} check what they can up front (the file exists, the header
 * or first record has the named columns, the query's columns) and return at once; the rows are read lazily,
 * one at a time, each time the dataset is opened. A file larger than memory can be run through a pipeline.
 *
 * <p><b>Bad input.</b> By default ({@link ErrorMode#FAIL_FAST}) the first bad row stops the read with a
 * {@link io.openautoglm.core.DataException} naming the file and line (JDBC: the row number). With {@link
 * ErrorMode#COLLECT} each bad row comes out as an {@linkplain io.openautoglm.core.TextRecord#invalid invalid
 * record} with its place ({@code reviews.csv:17}) and reason, which a pipeline reports as a failed result
 * ({@link #rows}: a {@linkplain Row#bad bad row} with its line and reason): nothing is dropped silently.
 * Bad rows are: bytes not valid in the charset, an unbalanced quote (the rest of the file cannot be parsed
 * and becomes one bad record), a row with too few or too many fields, a JSONL line
 * that is not a JSON object or lacks the text, an id or label that is missing, empty or not a scalar, gold
 * entities that are not {@code [{start, end, type, mention}]}. An empty text is passed on: the task rejects it.
 * Blank lines are skipped.
 *
 * <p><b>Line numbers</b> are physical lines of the file, starting at 1; a CSV record that spans several lines
 * (a quoted field with line breaks) is numbered by the line it starts on.
 *
 * <p>Immutable and thread-safe: each option returns a new loader. Options that do not apply to the source
 * ({@code delimiter} on JSONL, {@code fetchSize} on a file) throw {@link IllegalStateException}.
 */
public final class DataLoader {
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password|pwd)=([^;&\\s]*)");
    /** {@code //user:password@host}, the URL user-info form (MySQL, PostgreSQL, SQL Server …). */
    // the password may hold ; & ? itself; what is not a password is a port followed by ; (SQL Server properties)
    private static final Pattern PASSWORD_IN_USER_INFO = Pattern.compile("(//[^/:@\\s;?]*:)(?!\\d+;)[^@/\\s]*@");
    /** {@code jdbc:oracle:thin:user/password@host}. */
    private static final Pattern PASSWORD_IN_ORACLE_THIN = Pattern.compile("(?i)(:thin:[^/@\\s]*/)[^@\\s]*@");

    private enum Kind {
        CSV,
        JSONL,
        JDBC
    }

    private final Kind kind;
    private final Path path;
    private final Charset charset;
    private final char delimiter;
    private final char quote;
    private final boolean header;
    private final ErrorMode errorMode;
    private final JdbcTable.ConnectionSource connections;
    private final String connectionDescription;
    private final String sql;
    private final List<Object> params;
    private final int fetchSize;

    private DataLoader(
            Kind kind,
            Path path,
            Charset charset,
            char delimiter,
            char quote,
            boolean header,
            ErrorMode errorMode,
            JdbcTable.ConnectionSource connections,
            String connectionDescription,
            String sql,
            List<Object> params,
            int fetchSize) {
        this.kind = kind;
        this.path = path;
        this.charset = charset;
        this.delimiter = delimiter;
        this.quote = quote;
        this.header = header;
        this.errorMode = errorMode;
        this.connections = connections;
        this.connectionDescription = connectionDescription;
        this.sql = sql;
        this.params = params;
        this.fetchSize = fetchSize;
    }

    private static DataLoader file(Kind kind, Path path) {
        Objects.requireNonNull(path, "path");
        return new DataLoader(
                kind,
                path,
                StandardCharsets.UTF_8,
                ',',
                '"',
                true,
                ErrorMode.FAIL_FAST,
                null,
                null,
                null,
                List.of(),
                0);
    }

    /** A CSV file: comma-separated, {@code "} quotes (RFC 4180), UTF-8, with a header row, until told otherwise. */
    public static DataLoader fromCsv(Path path) {
        return file(Kind.CSV, path);
    }

    /** A JSON Lines file: one JSON object per line, UTF-8 unless told otherwise. */
    public static DataLoader fromJsonl(Path path) {
        return file(Kind.JSONL, path);
    }

    /**
     * The rows of a query on a data source; {@code params} fill its {@code ?} placeholders in order. Each
     * time the dataset is opened a connection is taken from the source and closed afterwards.
     */
    public static DataLoader fromJdbc(DataSource dataSource, String sql, Object... params) {
        Objects.requireNonNull(dataSource, "dataSource");
        return jdbc(dataSource::getConnection, dataSource.getClass().getSimpleName(), sql, params);
    }

    /** The rows of a query on a JDBC URL, through {@link DriverManager}; the driver must be on the class path. */
    public static DataLoader fromJdbc(String jdbcUrl, String sql, Object... params) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        return jdbc(() -> connect(jdbcUrl, () -> DriverManager.getConnection(jdbcUrl)), maskUrl(jdbcUrl), sql, params);
    }

    /**
     * As {@link #fromJdbc(String, String, Object...)}, logging in as {@code user}. The password is a
     * {@code char[]} (copied; wipe yours when done) so that this overload cannot be mistaken for a query with
     * string parameters; it is never shown in a message or {@code toString}.
     *
     * <pre>{@code
     * DataLoader.fromJdbc("jdbc:postgresql://db/shop", "reader", secret.toCharArray(),
     *         "SELECT id, body FROM review WHERE city = ?", "杭州")
     * }</pre>
     */
    public static DataLoader fromJdbc(String jdbcUrl, String user, char[] password, String sql, Object... params) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        char[] copy = password == null ? null : password.clone();
        return jdbc(
                () -> connect(
                        jdbcUrl,
                        () -> DriverManager.getConnection(jdbcUrl, user, copy == null ? null : new String(copy))),
                maskUrl(jdbcUrl) + " as " + user,
                sql,
                params);
    }

    /**
     * Connects, and when that fails, rethrows the failure with the URL's password masked: drivers and the driver
     * manager put the whole URL in their messages ("No suitable driver found for jdbc:…password=…"). The original
     * exception is not attached, as it carries the same message.
     */
    private static Connection connect(String jdbcUrl, JdbcTable.ConnectionSource connect) throws SQLException {
        try {
            return connect.connect();
        } catch (SQLException e) {
            String message =
                    e.getMessage() == null ? null : maskUrl(e.getMessage().replace(jdbcUrl, maskUrl(jdbcUrl)));
            SQLException clean = new SQLException(message, e.getSQLState(), e.getErrorCode(), e.getCause());
            clean.setStackTrace(e.getStackTrace());
            throw clean;
        }
    }

    private static DataLoader jdbc(
            JdbcTable.ConnectionSource connections, String description, String sql, Object[] params) {
        Objects.requireNonNull(sql, "sql");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("sql must not be blank");
        }
        // Arrays.asList, not List.of: a parameter may be null (SQL NULL).
        List<Object> copy =
                Collections.unmodifiableList(Arrays.asList(params == null ? new Object[] {null} : params.clone()));
        return new DataLoader(
                Kind.JDBC,
                null,
                StandardCharsets.UTF_8,
                ',',
                '"',
                true,
                ErrorMode.FAIL_FAST,
                connections,
                description,
                sql,
                copy,
                0);
    }

    /** The field separator (CSV only); default {@code ','}. Use {@code '\t'} for TSV. */
    public DataLoader delimiter(char delimiter) {
        only(Kind.CSV, "delimiter");
        if (delimiter == '\n' || delimiter == '\r' || delimiter == quote) {
            throw new IllegalArgumentException(
                    "delimiter must not be a line break or the quote character, got '" + printable(delimiter) + "'");
        }
        return new DataLoader(
                kind,
                path,
                charset,
                delimiter,
                quote,
                header,
                errorMode,
                connections,
                connectionDescription,
                sql,
                params,
                fetchSize);
    }

    /** The quote character (CSV only); default {@code '"'}. A quote inside a quoted field is doubled. */
    public DataLoader quote(char quote) {
        only(Kind.CSV, "quote");
        if (quote == '\n' || quote == '\r' || quote == delimiter) {
            throw new IllegalArgumentException(
                    "quote must not be a line break or the delimiter, got '" + printable(quote) + "'");
        }
        return new DataLoader(
                kind,
                path,
                charset,
                delimiter,
                quote,
                header,
                errorMode,
                connections,
                connectionDescription,
                sql,
                params,
                fetchSize);
    }

    /**
     * The file's encoding (files only); default UTF-8, with or without a byte order mark. Chinese files from
     * older Windows tools are often {@code Charset.forName("GBK")}.
     */
    public DataLoader charset(Charset charset) {
        if (kind == Kind.JDBC) {
            throw new IllegalStateException(
                    "charset applies to CSV and JSONL files, not to a JDBC query: the driver" + " decodes text");
        }
        Objects.requireNonNull(charset, "charset");
        return new DataLoader(
                kind,
                path,
                charset,
                delimiter,
                quote,
                header,
                errorMode,
                connections,
                connectionDescription,
                sql,
                params,
                fetchSize);
    }

    /**
     * Whether the first row names the columns (CSV only); default {@code true}. Without a header, columns are
     * named by their 1-based position: {@code load("2", "1")} reads the text from the second column and the
     * label from the first.
     */
    public DataLoader header(boolean header) {
        only(Kind.CSV, "header");
        return new DataLoader(
                kind,
                path,
                charset,
                delimiter,
                quote,
                header,
                errorMode,
                connections,
                connectionDescription,
                sql,
                params,
                fetchSize);
    }

    /**
     * Rows the driver fetches per round trip (JDBC only); {@code 0}, the default, leaves it to the driver.
     * Set it for large tables: some drivers otherwise load the whole result.
     */
    public DataLoader fetchSize(int rows) {
        only(Kind.JDBC, "fetchSize");
        if (rows < 0) {
            throw new IllegalArgumentException("fetchSize must be 0 (driver default) or more, got " + rows);
        }
        return new DataLoader(
                kind,
                path,
                charset,
                delimiter,
                quote,
                header,
                errorMode,
                connections,
                connectionDescription,
                sql,
                params,
                rows);
    }

    /**
     * What to do with a bad row: {@link ErrorMode#FAIL_FAST} (the default) throws a {@link
     * io.openautoglm.core.DataException} naming the file and line; {@link ErrorMode#COLLECT} hands the row on
     * as an invalid record with that place and the reason, to be reported as a failed result.
     */
    public DataLoader onBadRecord(ErrorMode mode) {
        Objects.requireNonNull(mode, "mode");
        return new DataLoader(
                kind,
                path,
                charset,
                delimiter,
                quote,
                header,
                mode,
                connections,
                connectionDescription,
                sql,
                params,
                fetchSize);
    }

    /** Texts only, for prediction without gold labels. */
    public Dataset load(String textColumn) {
        return load(Columns.of(textColumn, null));
    }

    /** Texts and their gold labels; {@code labelColumn} may be {@code null} when there are none. */
    public Dataset load(String textColumn, String labelColumn) {
        return load(Columns.of(textColumn, labelColumn));
    }

    /**
     * A dataset mapped as {@code columns} says.
     *
     * @throws io.openautoglm.core.DataException when the file is missing or empty, a named column does not
     *                                           exist (the message lists those that do), or the query fails
     */
    public Dataset load(Columns columns) {
        Objects.requireNonNull(columns, "columns");
        return new TableDataset(this::table, errorMode, columns, toString());
    }

    /**
     * The rows themselves, each with its place and its values as text, for tables whose rows are not texts
     * (a graph's node table or edge list, a lookup table). With column names, each row holds those columns, in
     * that order, and each must exist; without, each row holds every column of the source (JSONL: every leaf of
     * the object by dotted path, arrays as JSON text). Bad rows follow {@link #onBadRecord}: a {@link
     * io.openautoglm.core.DataException} at the row's line, or a {@link Row#bad bad row} with the reason.
     *
     * <pre>{@code
     * RowSource edges = DataLoader.fromCsv(Path.of("edges.csv")).rows("src", "dst");
     * try (RowCursor c = edges.open()) {
     *     while (c.hasNext()) {
     *         Row edge = c.next();               // edge.line(): the file's line, for messages
     *         add(edge.get("src"), edge.get("dst"));
     *     }
     * }
     * }</pre>
     *
     * @param columns the columns (CSV header names or, without a header, positions {@code "1"}, {@code "2"}, …;
     *                JDBC column labels, matched ignoring case when there is no exact match; JSONL field paths)
     * @throws io.openautoglm.core.DataException when the file is missing or empty, a named column does not
     *                                           exist (the message lists those that do), or the query fails
     * @throws IllegalArgumentException          when a column name is null, blank or given twice
     */
    public RowSource rows(String... columns) {
        Objects.requireNonNull(columns, "columns");
        Set<String> seen = new HashSet<>();
        for (String c : columns) {
            if (c == null || c.isBlank()) {
                throw new IllegalArgumentException(
                        "column names must not be null or blank, got " + Arrays.toString(columns));
            }
            if (!seen.add(c)) {
                throw new IllegalArgumentException("column '" + c + "' is named twice in " + Arrays.toString(columns));
            }
        }
        return new TableRowSource(this::table, errorMode, List.of(columns), toString());
    }

    /** The source, checked against the columns a mapping names. */
    private Table table(Set<String> named, boolean allColumns) {
        return switch (kind) {
            case CSV -> new CsvTable(fileSettings(), named, allColumns);
            case JSONL -> new JsonlTable(fileSettings(), named);
            case JDBC -> new JdbcTable(connections, sql, params, fetchSize, named);
        };
    }

    private FileSettings fileSettings() {
        return new FileSettings(path, charset, delimiter, quote, header);
    }

    private void only(Kind wanted, String option) {
        if (kind != wanted) {
            throw new IllegalStateException(
                    option + " applies to " + wanted + " sources only, not to " + kind + " (" + source() + ")");
        }
    }

    private String source() {
        return kind == Kind.JDBC ? JdbcTable.nameOf(sql) : path.toString();
    }

    private static String printable(char c) {
        return c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : String.valueOf(c);
    }

    /** The URL (or a message quoting one) with its passwords masked, in each form drivers use. */
    static String maskUrl(String url) {
        String masked = PASSWORD_IN_URL.matcher(url).replaceAll("$1=****");
        masked = PASSWORD_IN_USER_INFO.matcher(masked).replaceAll("$1****@");
        return PASSWORD_IN_ORACLE_THIN.matcher(masked).replaceAll("$1****@");
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("DataLoader[")
                .append(kind.name().toLowerCase(java.util.Locale.ROOT))
                .append(' ');
        if (kind == Kind.JDBC) {
            s.append(connectionDescription)
                    .append(", sql=")
                    .append(JdbcTable.nameOf(sql).substring(5))
                    .append(", ")
                    .append(params.size())
                    .append(" parameters, fetchSize=")
                    .append(fetchSize);
        } else {
            s.append(path.toAbsolutePath()).append(", charset=").append(charset.name());
            if (kind == Kind.CSV) {
                s.append(", delimiter='")
                        .append(printable(delimiter))
                        .append("', quote='")
                        .append(quote)
                        .append("', header=")
                        .append(header);
            }
        }
        return s.append(", onBadRecord=").append(errorMode).append(']').toString();
    }
}
