package io.openautoglm.data.internal;

import io.openautoglm.core.DataException;
import io.openautoglm.core.ErrorMode;
import io.openautoglm.core.RecordCursor;
import io.openautoglm.core.TextRecord;
import java.util.NoSuchElementException;

/**
 * Reads one record ahead and applies the error mode in one place: a bad row either stops the read with a
 * {@link DataException} at its line or comes out as an invalid record carrying the same reason.
 * Closes its source at the end of input and on any failure. Not thread-safe.
 */
abstract class SourceCursor implements RecordCursor {
    protected final String sourceName;
    private final ErrorMode mode;
    private TextRecord next;
    private boolean done;
    private boolean closed;

    SourceCursor(String sourceName, ErrorMode mode) {
        this.sourceName = sourceName;
        this.mode = mode;
    }

    /** The next record, good or invalid, or {@code null} at the end of input. */
    protected abstract TextRecord advance();

    /** Releases the source; called once. */
    protected abstract void release();

    @Override
    public final boolean hasNext() {
        if (next == null && !done) {
            try {
                next = advance();
            } catch (RuntimeException | Error e) {
                done = true;
                close();
                throw e;
            }
            if (next == null) {
                done = true;
                close();
            }
        }
        return next != null;
    }

    @Override
    public final TextRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more records in " + sourceName);
        }
        TextRecord r = next;
        next = null;
        return r;
    }

    /** A bad row: thrown in fail-fast mode, else an invalid record that keeps the reason and the place. */
    protected final TextRecord bad(long line, String id, String reason) {
        if (mode == ErrorMode.FAIL_FAST) {
            throw new DataException(sourceName, line, reason);
        }
        return TextRecord.invalid(id, sourceName + ":" + line, reason);
    }

    protected final String at(long line) {
        return sourceName + ":" + line;
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }
}
