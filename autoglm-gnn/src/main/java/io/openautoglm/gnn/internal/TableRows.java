package io.openautoglm.gnn.internal;

import io.openautoglm.core.DataException;
import io.openautoglm.data.DataLoader;
import io.openautoglm.data.RowCursor;
import io.openautoglm.data.RowSource;
import io.openautoglm.gnn.GraphFormatException;
import java.util.function.Consumer;

/**
 * The rows of a node table or edge list read through autoglm-data ({@link DataLoader#rows}), with every
 * failure a {@link GraphFormatException} at the file and line (or query and row) that autoglm-data names.
 * Immutable, thread-safe.
 */
public final class TableRows {
    private final RowSource rows;
    private final String display;

    private TableRows(RowSource rows, String display) {
        this.rows = rows;
        this.display = display;
    }

    /**
     * Checks the source and its columns now (a missing file or column fails at once) and reads nothing.
     *
     * @param display the name errors give the source, or {@code null} for autoglm-data's own (file name,
     *     {@code jdbc:} and the query)
     */
    public static TableRows of(DataLoader loader, String display, String... columns) {
        try {
            RowSource rows = loader.rows(columns);
            return new TableRows(rows, display == null ? rows.name() : display);
        } catch (DataException e) {
            throw converted(e, null, null);
        }
    }

    /** The source's name as errors give it. */
    public String name() {
        return display;
    }

    /** Hands every row, in source order, to {@code action}; a bad row stops the read. */
    public void forEach(Consumer<Row> action) {
        try (RowCursor cursor = rows.open()) {
            while (cursor.hasNext()) {
                io.openautoglm.data.Row r = cursor.next();
                if (!r.isValid()) {
                    throw new GraphFormatException(display, r.line(), r.problem());
                }
                action.accept(new Row(display, r));
            }
        } catch (GraphFormatException e) {
            throw e;
        } catch (DataException e) {
            throw converted(e, rows.name(), display);
        }
    }

    /**
     * One row: its values by column name, trimmed; a value that is empty, SQL {@code NULL} or missing
     * from a JSONL line reads as {@code null}.
     */
    public static final class Row {
        private final String source;
        private final io.openautoglm.data.Row row;

        Row(String source, io.openautoglm.data.Row row) {
            this.source = source;
            this.row = row;
        }

        /** The trimmed value, or {@code null} when empty or absent. */
        public String get(String column) {
            String v = row.get(column);
            if (v == null) {
                return null;
            }
            v = v.strip();
            return v.isEmpty() ? null : v;
        }

        public long line() {
            return row.line();
        }

        /** An error at this row. */
        public GraphFormatException error(String message) {
            return new GraphFormatException(source, row.line(), message);
        }
    }

    /** The same place and reason as a graph error; {@code name} is renamed {@code display}. */
    static GraphFormatException converted(DataException e, String name, String display) {
        String source = name != null && name.equals(e.source()) ? display : e.source();
        return new GraphFormatException(source, e.line(), e.reason(), e);
    }
}
