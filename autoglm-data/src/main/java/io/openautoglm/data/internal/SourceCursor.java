package io.openautoglm.data.internal;

import io.openautoglm.core.DataException;
import io.openautoglm.core.ErrorMode;
import io.openautoglm.core.RecordCursor;
import io.openautoglm.core.TextRecord;
import io.openautoglm.data.Row;
import io.openautoglm.data.RowCursor;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads one row ahead, maps it, and applies the error mode in one place: a bad row either stops the read
 * with a {@link DataException} at its line or comes out as the mapper's bad value (an invalid record, a bad
 * row) carrying the same reason. Closes its reader at the end of input and on any failure. Not thread-safe.
 *
 * @param <T> what the cursor hands out
 */
abstract class SourceCursor<T> implements Iterator<T>, AutoCloseable {
    private final String sourceName;
    private final ErrorMode mode;
    private final RowMapper<T> mapper;
    private final RowReader reader;
    private T next;
    private boolean done;
    private boolean closed;

    SourceCursor(MappedTable<T> source) {
        this.sourceName = source.name();
        this.mode = source.mode;
        this.mapper = source.mapper;
        this.reader = source.table.open();
    }

    /** The next value, good or bad, or {@code null} at the end of input. */
    private T advance() {
        RowReader.Read read = reader.next();
        if (read == null) {
            return null;
        }
        String problem = read.problem();
        if (problem == null) {
            try {
                return mapper.map(read.row(), sourceName, read.line());
            } catch (BadRecordException e) {
                problem = e.getMessage();
            }
        }
        if (mode == ErrorMode.FAIL_FAST) {
            throw new DataException(sourceName, read.line(), problem);
        }
        return mapper.bad(read.row(), sourceName, read.line(), problem);
    }

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
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows in " + sourceName);
        }
        T r = next;
        next = null;
        return r;
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            reader.close();
        }
    }

    /** Records for a {@link io.openautoglm.core.Dataset}. */
    static final class Records extends SourceCursor<TextRecord> implements RecordCursor {
        Records(TableDataset source) {
            super(source);
        }
    }

    /** Rows for a {@link io.openautoglm.data.RowSource}. */
    static final class Rows extends SourceCursor<Row> implements RowCursor {
        Rows(TableRowSource source) {
            super(source);
        }
    }
}
