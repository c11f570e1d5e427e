package io.openautoglm.data.internal;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.ErrorMode;
import io.openautoglm.core.RecordCursor;
import io.openautoglm.core.TextRecord;
import io.openautoglm.data.Columns;

/** A table's rows mapped to records as {@link Columns} says. Thread-safe: each {@link #open()} reads anew. */
public final class TableDataset extends MappedTable<TextRecord> implements Dataset {

    /** @param loader the loader's description, for {@code toString} */
    public TableDataset(Table.Factory tables, ErrorMode mode, Columns columns, String loader) {
        super(tables, mode, new RecordMapper(columns), "Dataset[" + loader + ", " + columns + "]");
    }

    @Override
    public RecordCursor open() {
        return new SourceCursor.Records(this);
    }
}
