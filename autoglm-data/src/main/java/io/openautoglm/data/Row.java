package io.openautoglm.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row of a table read by {@link DataLoader#rows(String...)}: where it was read, and its values by column
 * name as text. Use it for tables whose rows are not texts to classify, such as a graph's node table or edge
 * list; {@link DataLoader#load(Columns)} maps rows to {@link io.openautoglm.core.TextRecord}s instead.
 *
 * <pre>{@code
 * try (RowCursor edges = DataLoader.fromCsv(Path.of("edges.csv")).rows("src", "dst").open()) {
 *     while (edges.hasNext()) {
 *         Row edge = edges.next();
 *         String src = edge.get("src");          // "edges.csv", line 2, for the first edge
 *     }
 * }
 * }</pre>
 *
 * <p><b>Values</b> are text, whatever the source's type: a JSON number or boolean as written ({@code 42},
 * {@code true}), a JSON object or array as its JSON text, a SQL value as the driver's {@code getString}.
 * An empty CSV field is {@code ""}; a SQL {@code NULL}, a JSON {@code null} and a JSONL field missing from the
 * line are left out, so that {@link #get} gives {@code null}. Nothing is trimmed.
 *
 * <p><b>Bad rows.</b> A row that cannot be read (a CSV row with too few fields, a JSONL line that is not a
 * JSON object, bytes not valid in the charset) stops the read with a {@link io.openautoglm.core.DataException}
 * at its line, or, when the loader was told {@link io.openautoglm.core.ErrorMode#COLLECT}, comes out as a row
 * with no values whose {@link #problem()} says what was wrong: nothing is dropped silently.
 *
 * <p>Immutable and thread-safe.
 *
 * @param source  where the row was read: the file name, or {@code jdbc:} and the start of the query (as the
 *                source's {@link RowSource#name() name})
 * @param line    the physical line of the file the row starts on, 1-based, counting the header and blank lines
 *                (a CSV row with a quoted line break spans several); for a query, the 1-based row number
 * @param values  the values by column name, in the order of the columns asked for, or of the source's own
 *                columns when none were named; unmodifiable
 * @param problem why the row could not be read, or {@code null} for a good row
 */
public record Row(String source, long line, Map<String, String> values, String problem) {

    public Row {
        Objects.requireNonNull(source, "source");
        if (line < 1) {
            throw new IllegalArgumentException("line must be 1 or more, got " + line);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        Objects.requireNonNull(values, "values")
                .forEach((column, value) -> copy.put(
                        Objects.requireNonNull(column, "column name"),
                        Objects.requireNonNull(
                                value, () -> "value of column '" + column + "' (leave an absent value out)")));
        values = Collections.unmodifiableMap(copy);
        if (problem != null && !values.isEmpty()) {
            throw new IllegalArgumentException("a bad row has no values, got " + values + " with problem: " + problem);
        }
    }

    /** A good row. */
    public Row(String source, long line, Map<String, String> values) {
        this(source, line, values, null);
    }

    /** A row that could not be read, with the reason. */
    public static Row bad(String source, long line, String problem) {
        return new Row(source, line, Map.of(), Objects.requireNonNull(problem, "problem"));
    }

    /** Whether the row was read; a bad row has no values and a {@link #problem()}. */
    public boolean isValid() {
        return problem == null;
    }

    /** The value in {@code column}, or {@code null} when the row has none there (or is bad). */
    public String get(String column) {
        return values.get(column);
    }
}
