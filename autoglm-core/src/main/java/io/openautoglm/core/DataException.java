package io.openautoglm.core;

/**
 * Input data that cannot be used: a missing file, an unknown column, a malformed row, a wrong charset.
 * The message always says where: the source (file or query) and, where there is one, the line.
 */
public class DataException extends AutoGlmException {
    private final String source;
    private final long line;
    private final String reason;

    public DataException(String source, long line, String message) {
        this(source, line, message, null);
    }

    public DataException(String source, long line, String message, Throwable cause) {
        super(location(source, line) + ": " + message, cause);
        this.source = source;
        this.line = line;
        this.reason = message;
    }

    /** The file, table or query the bad input came from. */
    public String source() {
        return source;
    }

    /** The 1-based line (or row) number, or 0 when the problem is not on one line. */
    public long line() {
        return line;
    }

    /** What was wrong, without the place: the message less its {@code source:line: } start. */
    public String reason() {
        return reason;
    }

    static String location(String source, long line) {
        return line > 0 ? source + ":" + line : source;
    }
}
