package io.openautoglm.glm.internal;

import java.io.IOException;
import java.util.Objects;
import okio.BufferedSource;

/**
 * Reads server-sent events from a stream, one event's data at a time. The {@code data:} lines of an event are
 * joined with newlines (one space after the colon dropped) and the event ends at an empty line or at the end of the
 * stream. Comments ({@code :}), {@code event:}, {@code id:} and {@code retry:} lines carry nothing GLM uses and are
 * skipped, as are events without data. Not thread-safe: one reader per stream.
 */
public final class SseReader {
    private final BufferedSource source;
    private final StringBuilder data = new StringBuilder();
    private boolean ended;

    public SseReader(BufferedSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * The data of the next event, stripped, or {@code null} once the stream has ended.
     *
     * @throws IOException as the source throws it: a cut connection, or its read timeout
     */
    public String next() throws IOException {
        while (!ended) {
            String line = source.readUtf8Line();
            ended = line == null;
            if (!ended && !line.isEmpty()) {
                if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
                }
                continue;
            }
            if (data.length() > 0) {
                String event = data.toString().strip();
                data.setLength(0);
                return event;
            }
        }
        return null;
    }
}
