package io.openautoglm.data.internal;

import java.util.Set;

/**
 * A CSV file, a JSON Lines file or a query whose columns were checked against a mapping, read as rows each
 * time it is opened: the one reading layer under both {@link TableDataset} (records) and {@link
 * TableRowSource} (rows). Thread-safe: each {@link #open()} reads the source anew.
 */
public abstract class Table {

    /** Makes the table for a mapping that names {@code named} and reads every column when {@code allColumns}. */
    @FunctionalInterface
    public interface Factory {
        /**
         * @throws io.openautoglm.core.DataException when the source is missing or empty, or a named column
         *                                           does not exist
         */
        Table make(Set<String> named, boolean allColumns);
    }

    /** The file name, or {@code jdbc:} and the start of the query. */
    final String name;

    Table(String name) {
        this.name = name;
    }

    /** The name messages and rows give: the file name, or {@code jdbc:} and the start of the query. */
    public final String name() {
        return name;
    }

    /** One new pass over the rows. */
    abstract RowReader open();
}
