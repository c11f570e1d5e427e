package io.openautoglm.gnn;

/**
 * Graph input that cannot be used: names the file (or query, or in-memory source), the line or row, and
 * what was wrong, so the message alone is enough to fix the data. Problems autoglm-data finds while
 * reading a table (a missing column, a row with too few fields, bytes not valid in the charset) come as
 * this exception too, with the same place and reason and the {@link io.openautoglm.core.DataException} as
 * cause.
 *
 * <p>Not retriable: the same input fails the same way.
 */
public final class GraphFormatException extends IllegalArgumentException {
  private final String source;
  private final long line;

  /**
   * @param source file path or a name for an in-memory source
   * @param line 1-based line (or record) number, 0 when the problem is not tied to one line
   * @param message what was wrong and how to fix it
   */
  public GraphFormatException(String source, long line, String message) {
    this(source, line, message, null);
  }

  /** As {@link #GraphFormatException(String, long, String)}, keeping the cause (e.g. autoglm-data's error). */
  public GraphFormatException(String source, long line, String message, Throwable cause) {
    super(source + (line > 0 ? ":" + line : "") + ": " + message, cause);
    this.source = source;
    this.line = line;
  }

  /** File path or in-memory source name. */
  public String source() {
    return source;
  }

  /** 1-based line or record number; 0 when the problem concerns the whole source. */
  public long line() {
    return line;
  }
}
