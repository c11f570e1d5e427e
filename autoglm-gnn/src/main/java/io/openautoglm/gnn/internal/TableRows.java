package io.openautoglm.gnn.internal;

import io.openautoglm.core.DataException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.RecordCursor;
import io.openautoglm.core.TextRecord;
import io.openautoglm.data.Columns;
import io.openautoglm.data.DataLoader;
import io.openautoglm.gnn.GraphFormatException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The rows of a node table or edge list read through autoglm-data ({@link Columns#table}), with every
 * failure turned into a {@link GraphFormatException} at the same file and line (or query and row) that
 * autoglm-data names. Immutable, thread-safe.
 */
public final class TableRows {
  private final Dataset data;
  private final String display;

  private TableRows(Dataset data, String display) {
    this.data = data;
    this.display = display;
  }

  /**
   * Checks the source and its columns now (a missing file or column fails at once) and reads nothing.
   *
   * @param display the name errors give the source, or {@code null} for autoglm-data's own (file name,
   *     {@code jdbc:} and the query)
   */
  public static TableRows of(DataLoader loader, String display, String... columns) {
    try {
      Dataset data = loader.load(Columns.table(columns));
      return new TableRows(data, display == null ? data.name() : display);
    } catch (DataException e) {
      throw converted(e, null, null);
    }
  }

  /** The source's name as errors give it. */
  public String name() {
    return display;
  }

  /** Hands every row, in source order, to {@code action}; an invalid row stops the read. */
  public void forEach(Consumer<Row> action) {
    try (RecordCursor cursor = data.open()) {
      while (cursor.hasNext()) {
        TextRecord r = cursor.next();
        long line = lineOf(r.source());
        if (!r.isValid()) {
          throw new GraphFormatException(display, line, r.problem());
        }
        action.accept(new Row(display, line, r.metadata()));
      }
    } catch (DataException e) {
      throw converted(e, data.name(), display);
    }
  }

  /**
   * One row: its values by column name, trimmed; a value that is empty, SQL {@code NULL} or missing
   * from a JSONL line reads as {@code null}.
   */
  public static final class Row {
    private final String source;
    private final long line;
    private final Map<String, String> values;

    Row(String source, long line, Map<String, String> values) {
      this.source = source;
      this.line = line;
      this.values = values;
    }

    /** The trimmed value, or {@code null} when empty or absent. */
    public String get(String column) {
      String v = values.get(column);
      if (v == null) {
        return null;
      }
      v = v.strip();
      return v.isEmpty() ? null : v;
    }

    public long line() {
      return line;
    }

    /** An error at this row. */
    public GraphFormatException error(String message) {
      return new GraphFormatException(source, line, message);
    }
  }

  /** The line from a record source {@code name:line}; 0 when there is none. */
  static long lineOf(String source) {
    if (source == null) {
      return 0;
    }
    int colon = source.lastIndexOf(':');
    try {
      return colon < 0 ? 0 : Long.parseLong(source.substring(colon + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The same place and reason as a graph error; {@code name} is renamed {@code display}. */
  static GraphFormatException converted(DataException e, String name, String display) {
    String prefix = e.line() > 0 ? e.source() + ":" + e.line() + ": " : e.source() + ": ";
    String message = e.getMessage();
    String reason = message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    String source = name != null && name.equals(e.source()) ? display : e.source();
    return new GraphFormatException(source, e.line(), reason, e);
  }
}
