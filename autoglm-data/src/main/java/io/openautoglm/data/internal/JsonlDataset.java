package io.openautoglm.data.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.openautoglm.core.DataException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.RecordCursor;
import io.openautoglm.core.TextRecord;
import io.openautoglm.data.Columns;
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
 * that parses is checked when the dataset is made, so that a misspelt field path fails at once.
 * Thread-safe: each {@link #open()} reads the file anew.
 */
public final class JsonlDataset implements Dataset {
    private static final Logger LOG = LoggerFactory.getLogger(JsonlDataset.class);
    /** How far to look for a first good line to check the field paths against. */
    private static final int PROBE_LINES = 1000;

    private final FileSettings settings;
    private final String name;
    private final RecordMapper mapper;

    public JsonlDataset(FileSettings settings, Columns columns) {
        this.settings = settings;
        this.name = InputFiles.fileName(settings.path());
        this.mapper = new RecordMapper(columns);
        InputFiles.checkReadable(settings.path());
        checkPaths();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RecordCursor open() {
        return new Cursor();
    }

    @Override
    public String toString() {
        return "JsonlDataset[" + settings.path().toAbsolutePath() + ", charset=" + settings.charset().name() + "]";
    }

    /** Checks every named path against the first line that is a JSON object. */
    private void checkPaths() {
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
                for (String path : mapper.named()) {
                    if (Json.at(node, path) == null) {
                        throw new DataException(abs, lineNo, "unknown field '" + path + "': not in the first record;"
                                + " its fields are " + paths(node));
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
    private final class Cursor extends SourceCursor {
        private final DecodingReader decoder;
        private final BufferedReader lines;
        private long lineNo;

        Cursor() {
            super(name, settings.mode());
            this.decoder = new DecodingReader(InputFiles.open(settings.path()), settings.charset());
            this.lines = new BufferedReader(decoder);
        }

        @Override
        protected TextRecord advance() {
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
                    return bad(lineNo, null, Charsets.undecodable(bad, settings.charset()));
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonRow row = null;
                try {
                    JsonNode node = Json.parse(line, "the line");
                    if (!node.isObject()) {
                        throw new BadRecordException("the line is " + Json.describe(node) + ", expected a JSON object");
                    }
                    row = new JsonRow(node);
                    return mapper.map(row, at(lineNo));
                } catch (BadRecordException e) {
                    return bad(lineNo, mapper.idOrNull(row), e.getMessage());
                }
            }
        }

        @Override
        protected void release() {
            try {
                lines.close();
            } catch (IOException e) {
                LOG.debug("closing {} failed: {}", name, e.toString());
            }
        }
    }

    /** One parsed line. */
    private static final class JsonRow implements Row {
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
                throw new BadRecordException("field '" + path + "' is " + Json.describe(v)
                        + ", expected a string, number or boolean");
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
