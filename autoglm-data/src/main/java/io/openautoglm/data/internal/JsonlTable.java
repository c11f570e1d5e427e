package io.openautoglm.data.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.openautoglm.core.DataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON Lines file read lazily, one line at a time: each non-blank line is one JSON object. The first line
 * that parses is checked when the table is made, so that a misspelt field path fails at once.
 * Thread-safe: each {@link #open()} reads the file anew.
 */
public final class JsonlTable extends Table {
    private static final Logger LOG = LoggerFactory.getLogger(JsonlTable.class);
    /** How far to look for a first good line to check the field paths against. */
    private static final int PROBE_LINES = 1000;

    private final FileSettings settings;

    public JsonlTable(FileSettings settings, Set<String> named) {
        super(InputFiles.fileName(settings.path()));
        this.settings = settings;
        InputFiles.checkReadable(settings.path());
        checkPaths(named);
    }

    @Override
    RowReader open() {
        return new Reader();
    }

    /** Checks every named path against the first line that is a JSON object. */
    private void checkPaths(Set<String> named) {
        String abs = settings.path().toAbsolutePath().toString();
        try (DecodingReader decoder = new DecodingReader(InputFiles.open(settings.path()), settings.charset());
                BufferedReader lines = new BufferedReader(decoder)) {
            long lineNo = 0;
            boolean any = false;
            String line;
            while ((line = lines.readLine()) != null && lineNo < PROBE_LINES) {
                lineNo++;
                long bad = decoder.takeBadLineUpTo(lineNo);
                if (bad > 0 && lineNo == 1) {
                    throw new DataException(abs, bad, Charsets.undecodable(bad, settings.charset()));
                }
                if (line.isBlank() || bad > 0) {
                    continue;
                }
                any = true;
                JsonNode node;
                try {
                    node = Json.parse(line, "line");
                } catch (BadRecordException e) {
                    continue;
                }
                if (!node.isObject()) {
                    continue;
                }
                for (String path : named) {
                    if (Json.at(node, path) == null) {
                        throw new DataException(
                                abs,
                                lineNo,
                                "unknown field '" + path + "': not in the first record;" + " its fields are "
                                        + paths(node));
                    }
                }
                return;
            }
            if (!any) {
                throw new DataException(abs, 0, "file is empty: expected one JSON object per line");
            }
            LOG.debug("{}: no JSON object in the first {} lines to check field paths against", name, lineNo);
        } catch (IOException e) {
            throw new DataException(abs, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Every path of an object, containers included, for the unknown-field message. */
    private static List<String> paths(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode node, String prefix, List<String> out) {
        node.fieldNames().forEachRemaining(f -> {
            String path = prefix.isEmpty() ? f : prefix + "." + f;
            out.add(path);
            if (node.get(f).isObject()) {
                collect(node.get(f), path, out);
            }
        });
    }

    /** One pass over the file. */
    private final class Reader implements RowReader {
        private final DecodingReader decoder;
        private final BufferedReader lines;
        private long lineNo;

        Reader() {
            this.decoder = new DecodingReader(InputFiles.open(settings.path()), settings.charset());
            this.lines = new BufferedReader(decoder);
        }

        @Override
        public Read next() {
            while (true) {
                String line;
                try {
                    line = lines.readLine();
                } catch (IOException e) {
                    throw new DataException(name, lineNo + 1, "cannot read: " + e.getMessage(), e);
                }
                if (line == null) {
                    return null;
                }
                lineNo++;
                long bad = decoder.takeBadLineUpTo(lineNo);
                if (bad > 0) {
                    return new Read(lineNo, null, Charsets.undecodable(bad, settings.charset()));
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = Json.parse(line, "the line");
                } catch (BadRecordException e) {
                    return new Read(lineNo, null, e.getMessage());
                }
                if (!node.isObject()) {
                    return new Read(lineNo, null, "the line is " + Json.describe(node) + ", expected a JSON object");
                }
                return Read.good(lineNo, new JsonRow(node));
            }
        }

        @Override
        public void close() {
            try {
                lines.close();
            } catch (IOException e) {
                LOG.debug("closing {} failed: {}", name, e.toString());
            }
        }
    }

    /** One parsed line. */
    private static final class JsonRow implements SourceRow {
        private final JsonNode root;

        JsonRow(JsonNode root) {
            this.root = root;
        }

        @Override
        public String kind() {
            return "field";
        }

        @Override
        public String string(String path) throws BadRecordException {
            JsonNode v = Json.at(root, path);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw new BadRecordException("field '" + path + "' is " + Json.describe(v) + ", expected a string");
            }
            return v.textValue();
        }

        @Override
        public String scalar(String path) throws BadRecordException {
            JsonNode v = Json.at(root, path);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isValueNode()) {
                throw new BadRecordException(
                        "field '" + path + "' is " + Json.describe(v) + ", expected a string, number or boolean");
            }
            return v.asText();
        }

        @Override
        public String anyAsText(String path) {
            JsonNode v = Json.at(root, path);
            if (v == null || v.isNull()) {
                return null;
            }
            return v.isValueNode() ? v.asText() : v.toString();
        }

        @Override
        public JsonNode json(String path) {
            JsonNode v = Json.at(root, path);
            return v == null || v.isNull() ? null : v;
        }

        @Override
        public void addOthers(Set<String> mapped, Map<String, String> into) {
            Json.flatten(root, "", mapped, into);
        }
    }
}
