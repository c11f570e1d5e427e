package io.openautoglm.core.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.PipelineSpecException;
import io.openautoglm.core.PipelineSpecException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes {@link PipelineSpec} JSON: parse, overrides, schema, the checks a schema cannot express, then
 * binding. Every problem is collected with its JSON path and line:column before anything is refused, and no
 * message repeats a value from the document.
 */
public final class SpecCodec {
    /** A field given twice is refused rather than taken from its last occurrence. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SCHEMA_RESOURCE = "/io/openautoglm/core/pipeline-spec.schema.json";
    private static final Schema SCHEMA = loadSchema();
    private static final Set<String> LIST_FIELDS =
            Set.of("labels", "entityTypes", "fields", "optimizers", "metadataColumns");

    private SpecCodec() {}

    private static Schema loadSchema() {
        try (InputStream in = SpecCodec.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the pipeline spec schema " + SCHEMA_RESOURCE + " is missing from the jar");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The spec as JSON; with {@code targetDir}, relative paths are rewritten to resolve from there. */
    public static String write(PipelineSpec spec, Path targetDir) {
        return SpecWriter.write(spec, targetDir);
    }

    /** An ISO-8601 duration or a short one (90s, 20m, 2h); {@code null} when it is neither. */
    public static Duration duration(String text) {
        return SpecBinder.duration(text);
    }

    /** The published JSON Schema, as text. */
    public static String schema() {
        try (InputStream in = SpecCodec.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- reading

    public static PipelineSpec read(String json, String name, Path baseDir, Map<String, String> overrides) {
        List<Problem> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            // the parser's own words may quote a token of the document, which could be a misplaced key
            String why = e.getOriginalMessage().replaceAll("'[^']*'", "'…'").replaceAll("\\s+", " ");
            int cut = why.indexOf(" at [");
            throw new PipelineSpecException(
                    name,
                    List.of(new Problem(
                            "$",
                            at == null ? 0 : at.getLineNr(),
                            at == null ? 0 : at.getColumnNr(),
                            "not valid JSON: " + (cut > 0 ? why.substring(0, cut) : why))));
        }
        if (root == null || !root.isObject()) {
            throw new PipelineSpecException(name, List.of(new Problem("$", 1, 1, "a spec is a JSON object")));
        }
        Map<String, int[]> where = locations(json);
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            String problem = override((ObjectNode) root, o.getKey(), o.getValue());
            if (problem != null) {
                problems.add(new Problem("--set " + o.getKey(), 0, 0, problem));
            }
        }
        for (Error e : SCHEMA.validate(root)) {
            problems.add(schemaProblem(e, where));
        }
        SpecChecks.check(root, problems, where);
        if (problems.isEmpty()) {
            try {
                return SpecBinder.bind(root, baseDir);
            } catch (SpecBinder.BindException e) {
                problems.add(at(e.path, where, e.getMessage()));
            }
        }
        problems = fromOverrides(problems, overrides.keySet(), where);
        problems.sort(Comparator.comparingInt((Problem p) -> p.line() == 0 ? Integer.MAX_VALUE : p.line())
                .thenComparingInt(Problem::column));
        throw new PipelineSpecException(name, dedupe(problems));
    }

    /**
     * Problems at or under an overridden path say which {@code --set} gave the value. Only one at the very field the
     * override replaced keeps a place in the file; any other was placed on what the file holds there, or on an
     * enclosing object, which is not where the value came from.
     */
    static List<Problem> fromOverrides(List<Problem> problems, Set<String> keys, Map<String, int[]> where) {
        List<Problem> out = new ArrayList<>();
        for (Problem p : problems) {
            String key = null;
            for (String k : keys) {
                String at = "$." + k;
                if ((p.path().equals(at)
                                || p.path().startsWith(at + ".")
                                || p.path().startsWith(at + "["))
                        && (key == null || k.length() > key.length())) {
                    key = k;
                }
            }
            if (key == null) {
                out.add(p);
            } else {
                boolean placed = p.path().equals("$." + key) && where.containsKey(p.path());
                out.add(new Problem(
                        p.path(),
                        placed ? p.line() : 0,
                        placed ? p.column() : 0,
                        p.message() + " (set by --set " + key + ")"));
            }
        }
        return out;
    }

    private static List<Problem> dedupe(List<Problem> problems) {
        List<Problem> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Problem p : problems) {
            if (seen.add(p.path() + "\u0000" + p.message())) {
                out.add(p);
            }
        }
        return out;
    }

    /** JSON path to the 1-based line and column of the member's name, or of the value for array items. */
    static Map<String, int[]> locations(String json) {
        Map<String, int[]> where = new HashMap<>();
        try (JsonParser p = JSON.getFactory().createParser(json)) {
            List<Frame> frames = new ArrayList<>();
            String pendingField = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                JsonLocation loc = p.currentTokenLocation();
                int[] lc = {loc.getLineNr(), loc.getColumnNr()};
                String parent = frames.isEmpty() ? "$" : frames.get(frames.size() - 1).path;
                if (t == JsonToken.FIELD_NAME) {
                    pendingField = p.currentName();
                    where.putIfAbsent(parent + "." + pendingField, lc);
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    frames.remove(frames.size() - 1);
                    continue;
                }
                String here;
                if (pendingField != null) {
                    here = parent + "." + pendingField;
                    pendingField = null;
                } else if (!frames.isEmpty()) {
                    here = parent + "[" + frames.get(frames.size() - 1).next++ + "]";
                } else {
                    here = "$";
                }
                where.putIfAbsent(here, lc);
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    frames.add(new Frame(here));
                }
            }
        } catch (IOException e) {
            // parsed once already, so this cannot happen; locations help messages but are not required
        }
        return where;
    }

    /** An open object or array while locating: its path, and for an array the next item's index. */
    private static final class Frame {
        final String path;
        int next;

        Frame(String path) {
            this.path = path;
        }
    }

    static Problem at(String path, Map<String, int[]> where, String message) {
        String p = path;
        int[] lc = where.get(p);
        while (lc == null && p.length() > 1) {
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut <= 0 ? "$" : p.substring(0, cut);
            lc = where.get(p);
        }
        return new Problem(path, lc == null ? 0 : lc[0], lc == null ? 0 : lc[1], message);
    }

    private static Problem schemaProblem(Error e, Map<String, int[]> where) {
        String base = path(e.getInstanceLocation());
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        return switch (keyword) {
            case "additionalProperties" ->
                at(base + "." + e.getProperty(), where, "unknown field '" + e.getProperty() + "'" + known(base));
            case "required" -> at(base, where, "missing required field '" + e.getProperty() + "'");
            default -> at(base, where, schemaMessage(e, base));
        };
    }

    /** The schema's own words, without the instance path it starts with and without the value it may quote. */
    private static String schemaMessage(Error e, String base) {
        String m = e.getMessage();
        String prefix = base + ": ";
        if (m.startsWith(prefix)) {
            m = m.substring(prefix.length());
        }
        return switch (e.getKeyword() == null ? "" : e.getKeyword()) {
            case "enum" -> "must be one of " + e.getSchemaNode();
            case "const" -> "must be " + e.getSchemaNode();
            case "type" -> m.replaceAll("^\\S+ found", "wrong type: " + kindOf(e.getInstanceNode()) + " found");
            case "pattern" -> "does not have the expected form";
            case "oneOf" -> "must be a name, or an object with name and description";
            default -> m;
        };
    }

    private static String kindOf(JsonNode n) {
        if (n == null) {
            return "nothing";
        }
        return switch (n.getNodeType()) {
            case STRING -> "string";
            case NUMBER -> n.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case ARRAY -> "array";
            case OBJECT -> "object";
            case NULL -> "null";
            default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The field names the schema allows at an object path, for an unknown-field message. */
    private static String known(String objectPath) {
        JsonNode schema = SCHEMA.getSchemaNode();
        JsonNode at = schema;
        String rest = objectPath.equals("$") ? "" : objectPath.substring(2);
        for (String step : rest.isEmpty() ? new String[0] : rest.split("\\.")) {
            String name = step.replaceAll("\\[\\d+]", "");
            boolean item = step.contains("[");
            at = deref(schema, at.path("properties").path(name));
            if (item) {
                at = deref(schema, at.path("items"));
            }
            if (name.equals("examplesSource") || name.equals("dev") || name.equals("train")) {
                at = deref(schema, at);
            }
        }
        at = deref(schema, at);
        List<String> names = new ArrayList<>();
        at.path("properties").fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "" : "; known fields: " + String.join(", ", names);
    }

    private static JsonNode deref(JsonNode schema, JsonNode node) {
        JsonNode ref = node.path("$ref");
        if (ref.isTextual() && ref.asText().startsWith("#/$defs/")) {
            return schema.path("$defs").path(ref.asText().substring("#/$defs/".length()));
        }
        return node;
    }

    private static String path(com.networknt.schema.path.NodePath p) {
        StringBuilder sb = new StringBuilder("$");
        for (int i = 0; i < p.getNameCount(); i++) {
            Object el = p.getElement(i);
            if (el instanceof Integer n) {
                sb.append('[').append(n).append(']');
            } else {
                sb.append('.').append(el);
            }
        }
        return sb.toString();
    }

    /** Sets one override; returns what is wrong with it, or {@code null}. */
    private static String override(ObjectNode root, String path, String value) {
        String[] steps = path.split("\\.");
        ObjectNode at = root;
        for (int i = 0; i < steps.length - 1; i++) {
            JsonNode next = at.get(steps[i]);
            if (next == null || next.isNull()) {
                next = at.putObject(steps[i]);
            }
            if (!next.isObject()) {
                return "'" + String.join(".", java.util.Arrays.copyOf(steps, i + 1)) + "' is not an object";
            }
            at = (ObjectNode) next;
        }
        String field = steps[steps.length - 1];
        if (field.isEmpty()) {
            return "expected a path of field names such as model.name";
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(value);
            if (parsed == null || parsed.isMissingNode()) {
                parsed = NODES.textNode(value);
            }
        } catch (JsonProcessingException e) {
            parsed = NODES.textNode(value);
        }
        if (LIST_FIELDS.contains(field) && !parsed.isArray()) {
            ArrayNode list = NODES.arrayNode();
            String[] parts = value.split(",", -1);
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].isBlank()) {
                    // an empty item is a slip (a doubled or trailing comma), not an item to drop quietly
                    return "item " + (i + 1) + " of the list is empty";
                }
                list.add(parts[i].strip());
            }
            parsed = list;
        } else if (parsed.isTextual() || parsed.isNumber() || parsed.isBoolean()) {
            // a value such as 0123 or 1e3 read as a number where text was meant keeps its text in string fields,
            // whether the file gives the field (as text) or not (the schema says it is text)
            JsonNode old = at.get(field);
            if (!parsed.isTextual() && (old != null ? old.isTextual() : isTextField(steps))) {
                parsed = NODES.textNode(value);
            }
        }
        at.set(field, parsed);
        return null;
    }

    /** Whether the schema declares the field at this path of names a string. */
    private static boolean isTextField(String[] steps) {
        JsonNode schema = SCHEMA.getSchemaNode();
        JsonNode at = schema;
        for (String step : steps) {
            at = deref(schema, deref(schema, at).path("properties").path(step));
        }
        return at.path("type").asText("").equals("string");
    }
}
