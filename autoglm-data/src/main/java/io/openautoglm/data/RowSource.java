package io.openautoglm.data;

import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The {@link Row}s of a CSV file, a JSON Lines file or a SQL query, read lazily each time the source is
 * opened, from the start: {@link DataLoader#rows(String...)} makes one. A file larger than memory can be read
 * row by row.
 *
 * <pre>{@code
 * RowSource nodes = DataLoader.fromJsonl(Path.of("nodes.jsonl")).rows("id", "label");
 * try (Stream<Row> rows = nodes.stream()) {
 *     rows.filter(Row::isValid).forEach(row -> index.put(row.get("id"), row.get("label")));
 * }
 * }</pre>
 *
 * <p>Thread-safe in the sense that separate {@link #open()} calls return independent cursors, each with its
 * own file handle or connection.
 */
public interface RowSource {

    /** A short name for messages: the file name, or {@code jdbc:} and the start of the query. */
    String name();

    /** Opens a new cursor positioned before the first row. The caller must close it. */
    RowCursor open();

    /** A sequential stream over a new cursor; close the stream to release the file or connection. */
    default Stream<Row> stream() {
        RowCursor cursor = open();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(cursor, Spliterator.ORDERED), false)
                .onClose(cursor::close);
    }
}
