package io.openautoglm.data.internal;

import io.openautoglm.core.ErrorMode;
import io.openautoglm.data.Row;
import io.openautoglm.data.RowCursor;
import io.openautoglm.data.RowSource;
import java.util.List;

/** A table's rows with their values as text. Thread-safe: each {@link #open()} reads anew. */
public final class TableRowSource extends MappedTable<Row> implements RowSource {

    /**
     * @param columns the columns each row holds, in this order; empty for all of the source's own
     * @param loader  the loader's description, for {@code toString}
     */
    public TableRowSource(Table.Factory tables, ErrorMode mode, List<String> columns, String loader) {
        super(
                tables,
                mode,
                new RowValues(columns),
                "RowSource[" + loader + ", columns=" + (columns.isEmpty() ? "all" : columns) + "]");
    }

    @Override
    public RowCursor open() {
        return new SourceCursor.Rows(this);
    }
}
