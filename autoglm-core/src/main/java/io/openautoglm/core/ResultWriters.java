package io.openautoglm.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Result files: JSON Lines (one object per record, nothing lost) and CSV (flat, one row per record).
 * Both write successes and failures alike, in input order. A failed record carries its {@link Failure}: in JSON
 * Lines as {@code "failure": {"kind": "RATE_LIMITED", "message": "…"}}, in CSV as the columns
 * {@code failure_kind} and {@code failure} (the message), both empty for a success.
 *
 * <p>Writes are line-atomic: the writers keep whole lines in memory and hand them to the file in one write at a
 * time, each write ending on a line break, at {@link ResultSink#flush()} (which a pipeline calls after each batch
 * it delivers), when 64 KB have gathered, and at {@link Writer#close()}. So the file always ends on a whole line,
 * and a run that is killed, even with {@code kill -9}, leaves every record of the batches it had delivered. A
 * write that fails part-way (a full disk) cuts the file back to its last whole line. Nothing is forced to disk: a
 * power failure can still lose the file's tail, and a kill in the middle of a write can tear its last line, so a
 * reader of a file whose run did not end should drop a last line that has no line break.
 *
 * <pre>{@code
 * try (ResultWriters.Writer out = ResultWriters.jsonl(Path.of("results.jsonl"))) {
 *     pipeline.run(dataset, out);
 * }
 * }</pre>
 */
public final class ResultWriters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] CSV_HEADER = {
        "index", "id", "status", "text", "text_b", "gold", "prediction", "score", "failure_kind", "failure", "source"
    };

    private ResultWriters() {}

    /**
     * A sink that writes to a file and must be closed. Records accepted are in the file after {@link #flush()} or
     * {@link #close()} (see the class comment). Thread-safe.
     */
    public interface Writer extends ResultSink, AutoCloseable {
        @Override
        void close();
    }

    /** Writes each result as one JSON object per line, UTF-8. */
    public static Writer jsonl(Path file) {
        return new LineWriter(file, null, r -> {
            try {
                return JSON.writeValueAsString(toJson(r)) + "\n";
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        });
    }

    /** Writes a CSV with a header row, RFC 4180 quoting, UTF-8. */
    public static Writer csv(Path file) {
        return new LineWriter(file, String.join(",", CSV_HEADER) + "\r\n", r -> {
            TextRecord rec = r.record();
            String[] row = {
                String.valueOf(r.index()),
                r.id(),
                r.succeeded() ? "ok" : "failed",
                rec.text(),
                rec.textB(),
                gold(rec),
                predictionText(r.prediction()),
                score(r.prediction()),
                r.failure() == null ? null : r.failure().kind().name(),
                r.failure() == null ? null : r.failure().message(),
                rec.source()
            };
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    line.append(',');
                }
                line.append(csvField(row[i]));
            }
            return line.append("\r\n").toString();
        });
    }

    /** Writes one record a line; whole lines are gathered in memory and written out together, see the class comment. */
    private static final class LineWriter implements Writer {
        private static final int WRITE_AT = 1 << 16;

        private final Path file;
        private final Function<RecordResult, String> format;
        private final FileChannel channel;
        // a lone surrogate (JSON may escape one) becomes U+FFFD instead of aborting the file mid-line
        private final CharsetEncoder utf8 = StandardCharsets.UTF_8
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith("\uFFFD".getBytes(StandardCharsets.UTF_8));
        /** Whole lines not yet written. */
        private byte[] pending = new byte[8192];

        private int pendingLength;
        /** The file's length up to its last whole line. */
        private long whole;

        LineWriter(Path file, String header, Function<RecordResult, String> format) {
            this.file = file;
            this.format = format;
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                this.channel = FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open " + file + " for writing", e);
            }
            if (header != null) {
                try {
                    add(header);
                    flush();
                } catch (RuntimeException e) {
                    closeChannel();
                    throw e;
                }
            }
        }

        @Override
        public synchronized void accept(RecordResult r) {
            if (!channel.isOpen()) {
                throw new IllegalStateException("the writer of " + file + " is closed");
            }
            add(format.apply(r));
            if (pendingLength >= WRITE_AT) {
                flush();
            }
        }

        private void add(String line) {
            ByteBuffer bytes;
            try {
                bytes = utf8.encode(CharBuffer.wrap(line));
            } catch (CharacterCodingException e) {
                throw new IllegalStateException("cannot encode a line of " + file, e); // REPLACE never reports
            }
            int n = bytes.remaining();
            if (pendingLength + n > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(2 * pending.length, pendingLength + n));
            }
            bytes.get(pending, pendingLength, n);
            pendingLength += n;
        }

        /** Writes out the lines gathered so far. */
        @Override
        public synchronized void flush() {
            ByteBuffer bytes = ByteBuffer.wrap(pending, 0, pendingLength);
            pendingLength = 0;
            try {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                whole += bytes.limit();
            } catch (IOException e) {
                try {
                    channel.truncate(whole); // drop the part of a line that was written
                } catch (IOException truncateFailed) {
                    e.addSuppressed(truncateFailed);
                }
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }

        @Override
        public synchronized void close() {
            if (!channel.isOpen()) {
                return;
            }
            try {
                flush();
            } finally {
                closeChannel();
            }
        }

        private void closeChannel() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file, e);
            }
        }
    }

    static java.util.Map<String, Object> toJson(RecordResult r) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        TextRecord rec = r.record();
        m.put("index", r.index());
        m.put("id", r.id());
        m.put("status", r.succeeded() ? "ok" : "failed");
        m.put("text", rec.text());
        if (rec.textB() != null) {
            m.put("text_b", rec.textB());
        }
        if (rec.label() != null) {
            m.put("gold", rec.label());
        }
        if (rec.entities() != null) {
            m.put("gold_entities", rec.entities());
        }
        Prediction p = r.prediction();
        if (p instanceof Prediction.Classification c) {
            m.put("label", c.label());
            m.put("score", c.score());
            if (!c.scores().isEmpty()) {
                m.put("scores", c.scores());
            }
        } else if (p instanceof Prediction.Entities e) {
            m.put("entities", e.entities());
            if (!e.unaligned().isEmpty()) {
                m.put("unaligned", e.unaligned());
            }
        } else if (p instanceof Prediction.Match mt) {
            m.put("match", mt.matched());
            m.put("score", mt.score());
        }
        if (r.failure() != null) {
            java.util.Map<String, Object> f = new java.util.LinkedHashMap<>();
            f.put("kind", r.failure().kind().name());
            f.put("message", r.failure().message());
            m.put("failure", f);
        }
        if (r.raw() != null) {
            m.put("raw", r.raw());
        }
        if (rec.source() != null) {
            m.put("source", rec.source());
        }
        if (!rec.metadata().isEmpty()) {
            m.put("metadata", rec.metadata());
        }
        return m;
    }

    private static String gold(TextRecord rec) {
        if (rec.label() != null) {
            return rec.label();
        }
        return rec.entities() == null ? null : entitiesText(rec.entities());
    }

    private static String predictionText(Prediction p) {
        if (p instanceof Prediction.Classification c) {
            return c.label();
        } else if (p instanceof Prediction.Entities e) {
            return entitiesText(e.entities());
        } else if (p instanceof Prediction.Match m) {
            return m.matched() ? "1" : "0";
        }
        return null;
    }

    private static String entitiesText(java.util.List<Entity> entities) {
        return entities.stream()
                .map(e -> e.type() + ":" + e.mention() + "@" + e.start() + "-" + e.end())
                .collect(Collectors.joining(";"));
    }

    private static String score(Prediction p) {
        if (p instanceof Prediction.Classification c) {
            return String.valueOf(c.score());
        } else if (p instanceof Prediction.Match m) {
            return String.valueOf(m.score());
        }
        return null;
    }

    static String csvField(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
