package io.openautoglm.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Result files: JSON Lines (one object per record, nothing lost) and CSV (flat, one row per record).
 * Both write successes and failures alike, in input order. A failed record carries its {@link Failure}: in JSON
 * Lines as {@code "failure": {"kind": "RATE_LIMITED", "message": "…"}}, in CSV as the columns
 * {@code failure_kind} and {@code failure} (the message), both empty for a success.
 *
 * <pre>{@code
 * try (ResultWriters.Writer out = ResultWriters.jsonl(Path.of("results.jsonl"))) {
 *     pipeline.run(dataset, out);
 * }
 * }</pre>
 */
public final class ResultWriters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] CSV_HEADER = {"index", "id", "status", "text", "text_b", "gold", "prediction",
        "score", "failure_kind", "failure", "source"};

    private ResultWriters() {
    }

    /** A sink that writes to a file and must be closed. */
    public interface Writer extends ResultSink, AutoCloseable {
        @Override
        void close();
    }

    /** Writes each result as one JSON object per line, UTF-8. */
    public static Writer jsonl(Path file) {
        BufferedWriter out = open(file);
        return new Writer() {
            @Override
            public void accept(RecordResult r) {
                try {
                    out.write(JSON.writeValueAsString(toJson(r)));
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file, e);
                }
            }

            @Override
            public void close() {
                closeOrFail(out, file);
            }
        };
    }

    /** Writes a CSV with a header row, RFC 4180 quoting, UTF-8. */
    public static Writer csv(Path file) {
        BufferedWriter out = open(file);
        try {
            out.write(String.join(",", CSV_HEADER));
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new Writer() {
            @Override
            public void accept(RecordResult r) {
                TextRecord rec = r.record();
                String[] row = {String.valueOf(r.index()), r.id(), r.succeeded() ? "ok" : "failed",
                    rec.text(), rec.textB(), gold(rec), predictionText(r.prediction()), score(r.prediction()),
                    r.failure() == null ? null : r.failure().kind().name(),
                    r.failure() == null ? null : r.failure().message(), rec.source()};
                try {
                    for (int i = 0; i < row.length; i++) {
                        if (i > 0) {
                            out.write(',');
                        }
                        out.write(csvField(row[i]));
                    }
                    out.write("\r\n");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file, e);
                }
            }

            @Override
            public void close() {
                closeOrFail(out, file);
            }
        };
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
        return entities.stream().map(e -> e.type() + ":" + e.mention() + "@" + e.start() + "-" + e.end())
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

    private static BufferedWriter open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // a lone surrogate (JSON may escape one) becomes U+FFFD instead of aborting the file mid-line
            java.nio.charset.CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)
                    .replaceWith("\uFFFD".getBytes(StandardCharsets.UTF_8));
            return new BufferedWriter(new java.io.OutputStreamWriter(Files.newOutputStream(file), utf8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + " for writing", e);
        }
    }

    private static void closeOrFail(java.io.Writer out, Path file) {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
