package io.openautoglm.gnn;

import java.nio.file.Path;

/**
 * Graph input that cannot be used: names the file (or in-memory source), the line or record, and what
 * was wrong, so the message alone is enough to fix the data.
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
    super(source + (line > 0 ? ":" + line : "") + ": " + message);
    this.source = source;
    this.line = line;
  }

  static GraphFormatException at(Path file, long line, String message) {
    return new GraphFormatException(file.toString(), line, message);
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
