package io.openautoglm.gnn;

import io.openautoglm.core.DataException;

/**
 * Graph input that cannot be used: names the file (or query, or in-memory source), the line or row, and
 * what was wrong, so the message alone is enough to fix the data. Problems autoglm-data finds while
 * reading a table (a missing column, a row with too few fields, bytes not valid in the charset) come as
 * this exception too, with the same place and reason and the data's {@link DataException} as cause.
 *
 * <p>A {@link DataException} like every other bad input: {@link #source()}, {@link #line()} and {@link
 * #reason()} say where and what. Not retriable: the same input fails the same way.
 */
public final class GraphFormatException extends DataException {

    /**
     * @param source file path or a name for an in-memory source
     * @param line 1-based line (or record) number, 0 when the problem is not tied to one line
     * @param message what was wrong and how to fix it
     */
    public GraphFormatException(String source, long line, String message) {
        super(source, line, message);
    }

    /** As {@link #GraphFormatException(String, long, String)}, keeping the cause (e.g. autoglm-data's error). */
    public GraphFormatException(String source, long line, String message, Throwable cause) {
        super(source, line, message, cause);
    }
}
