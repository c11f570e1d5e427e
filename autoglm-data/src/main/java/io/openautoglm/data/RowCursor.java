package io.openautoglm.data;

import java.util.Iterator;

/**
 * A one-pass, closeable iterator over the rows of a {@link RowSource}. Holds an open file or a connection
 * until closed; it closes itself at the end of input and when a read fails. Not thread-safe.
 */
public interface RowCursor extends Iterator<Row>, AutoCloseable {
    /** Closes the underlying file or connection; never throws a checked exception. */
    @Override
    void close();
}
