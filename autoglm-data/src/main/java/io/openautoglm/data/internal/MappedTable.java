package io.openautoglm.data.internal;

import io.openautoglm.core.ErrorMode;

/**
 * A table checked against a mapping, with what to do with bad rows: the part {@link TableDataset} and {@link
 * TableRowSource} share. Immutable, thread-safe.
 *
 * @param <T> what the mapping makes of a row
 */
abstract class MappedTable<T> {
    final Table table;
    final ErrorMode mode;
    final RowMapper<T> mapper;
    private final String description;

    MappedTable(Table.Factory tables, ErrorMode mode, RowMapper<T> mapper, String description) {
        this.table = tables.make(mapper.named, mapper.allColumns);
        this.mode = mode;
        this.mapper = mapper;
        this.description = description;
    }

    /** The file name, or {@code jdbc:} and the start of the query. */
    public String name() {
        return table.name();
    }

    @Override
    public String toString() {
        return description;
    }
}
