package io.openautoglm.core;

import java.util.Iterator;

/**
 * A one-pass, closeable iterator over the records of a {@link Dataset}. Holds an open file, result set
 * or connection until closed. Not thread-safe.
 */
public interface RecordCursor extends Iterator<TextRecord>, AutoCloseable {
    /** Closes the underlying source; never throws a checked exception. */
    @Override
    void close();
}
