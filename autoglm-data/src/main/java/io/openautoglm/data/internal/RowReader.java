package io.openautoglm.data.internal;

/**
 * One pass over the rows of a file or a query, for a {@link SourceCursor}: it finds the rows, their lines,
 * and what makes a row bad in its format; the cursor maps them and applies the error mode. Not thread-safe.
 */
interface RowReader {

    /** The next row, good or bad, or {@code null} at the end of input. */
    Read next();

    /** Releases the file or connection; called once. */
    void close();

    /**
     * A row as read, at the line it starts on: good when {@code problem} is {@code null}; a bad one keeps
     * its parsed {@code row} where there is one, so that an invalid record can still name its id.
     */
    record Read(long line, SourceRow row, String problem) {
        static Read good(long line, SourceRow row) {
            return new Read(line, row, null);
        }
    }
}
