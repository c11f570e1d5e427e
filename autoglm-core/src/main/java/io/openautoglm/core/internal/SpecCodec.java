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
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Entity;
import io.openautoglm.core.ErrorMode;
import io.openautoglm.core.Label;
import io.openautoglm.core.Models;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.PipelineSpecException;
import io.openautoglm.core.PipelineSpecException.Problem;
import io.openautoglm.core.PromptTemplate;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextNormalizer;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.spi.ModelProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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
    private static final Pattern UNKNOWN_PLACEHOLDER =
            Pattern.compile("unknown placeholder \\{[^{}]*} at character (\\d+)");
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]+)\\s*([smh])");

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
        check(root, problems, where);
        if (problems.isEmpty()) {
            try {
                return bind(root, baseDir);
            } catch (BindException e) {
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
    private static List<Problem> fromOverrides(List<Problem> problems, Set<String> keys, Map<String, int[]> where) {
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

    /**
     * Every problem of a spec: the document's own, or when it has none, what can be checked without opening a model
     * or reading a record: a provider serves the model, the files the sources name exist, secret references
     * resolve. Messages name variables and files, never a value.
     */
    public static List<Problem> validate(String json, String name, Path baseDir, Map<String, String> overrides) {
        PipelineSpec spec;
        try {
            spec = read(json, name, baseDir, overrides);
        } catch (PipelineSpecException e) {
            return e.problems();
        }
        Map<String, int[]> where = locations(json);
        List<Problem> problems = new ArrayList<>();
        String model = spec.model().name();
        List<ModelProvider> providers = Models.providers();
        if (providers.stream().noneMatch(p -> p.supports(model))) {
            problems.add(at(
                    "$.model.name",
                    where,
                    "no model provider serves this model name; providers found: " + describe(providers)
                            + " (autoglm models lists them)"));
        }
        spec.model().options().forEach((k, v) -> {
            String problem = unresolvable("model.options." + k, v, spec.baseDir());
            if (problem != null) {
                problems.add(at("$.model.options." + k, where, problem));
            }
        });
        preflight(spec, spec.source(), "$.source", where, problems);
        if (spec.optimize() != null) {
            preflight(spec, spec.optimize().dev(), "$.optimize.dev", where, problems);
            preflight(spec, spec.optimize().train(), "$.optimize.train", where, problems);
        }
        PipelineSpec.Source examples = spec.task().examples() == null
                ? null
                : SpecSources.sourceOf(spec.task().examples());
        preflight(spec, examples, "$.task.examplesSource", where, problems);
        List<Problem> placed = fromOverrides(problems, overrides.keySet(), where);
        placed.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        return placed;
    }

    private static void preflight(
            PipelineSpec spec,
            PipelineSpec.Source source,
            String path,
            Map<String, int[]> where,
            List<Problem> problems) {
        if (source == null) {
            return;
        }
        if (source.path() != null) {
            Path f = spec.resolve(source.path());
            if (!java.nio.file.Files.isRegularFile(f)) {
                problems.add(at(path + ".path", where, "no such file: " + f));
            } else if (!java.nio.file.Files.isReadable(f)) {
                problems.add(at(path + ".path", where, "the file cannot be read: " + f));
            }
        }
        if (source.password() != null) {
            String problem = unresolvable(path.substring(2) + ".password", source.password(), spec.baseDir());
            if (problem != null) {
                problems.add(at(path + ".password", where, problem));
            }
        }
    }

    /** What is wrong with a secret reference (a variable not set, a file missing), or {@code null}. */
    private static String unresolvable(String what, String value, Path baseDir) {
        if (!SecretReferences.isReference(value)) {
            return null;
        }
        try {
            SecretReferences.resolve(what, value, baseDir);
            return null;
        } catch (io.openautoglm.core.AutoGlmException e) {
            String m = e.getMessage();
            return m.startsWith(what + ": ") ? m.substring(what.length() + 2) : m;
        }
    }

    private static String describe(List<ModelProvider> providers) {
        if (providers.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (ModelProvider p : providers) {
            parts.add(p.name() + " (" + String.join(", ", p.exampleModels()) + ")");
        }
        return String.join("; ", parts);
    }

    /** JSON path to the 1-based line and column of the member's name, or of the value for array items. */
    private static Map<String, int[]> locations(String json) {
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

    private static Problem at(String path, Map<String, int[]> where, String message) {
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
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    list.add(part.strip());
                }
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

    /** What the schema cannot say: secrets, labels a task needs, sources complete for their format. */
    private static void check(JsonNode root, List<Problem> problems, Map<String, int[]> where) {
        Set<String> providerSecrets = providerSecrets();
        JsonNode modelOptions = root.path("model").path("options");
        if (modelOptions.isObject()) {
            modelOptions.properties().forEach(e -> {
                if (SecretReferences.isSecretKey(e.getKey(), providerSecrets)
                        && !SecretReferences.isReference(e.getValue().asText())) {
                    problems.add(at(
                            "$.model.options." + e.getKey(),
                            where,
                            "an inline secret is not allowed: " + SecretReferences.howToRefer(e.getKey())));
                }
            });
        }
        checkSource(root.path("source"), "$.source", problems, where);
        checkSource(root.path("task").path("examplesSource"), "$.task.examplesSource", problems, where);
        checkSource(root.path("optimize").path("dev"), "$.optimize.dev", problems, where);
        checkSource(root.path("optimize").path("train"), "$.optimize.train", problems, where);

        JsonNode task = root.path("task");
        String type = task.path("type").asText("");
        JsonNode labels = task.path("labels");
        if (type.equals(TaskType.TEXT_CLASSIFICATION.name()) && (!labels.isArray() || labels.size() < 2)) {
            problems.add(at(
                    labels.isMissingNode() ? "$.task" : "$.task.labels",
                    where,
                    (labels.isMissingNode() ? "missing labels: " : "")
                            + "a text classification needs at least two labels, e.g. \"labels\": [\"正面\", \"负面\"]"));
        }
        if (labels.isArray()) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < labels.size(); i++) {
                JsonNode l = labels.get(i);
                String n = l.isTextual() ? l.asText() : l.path("name").asText(null);
                if (n != null && !names.add(n)) {
                    problems.add(at("$.task.labels[" + i + "]", where, "this label is given twice"));
                }
            }
        }
        if (type.equals(TaskType.NAMED_ENTITY_RECOGNITION.name())
                && task.path("entityTypes").size() == 0) {
            problems.add(
                    at(
                            task.has("entityTypes") ? "$.task.entityTypes" : "$.task",
                            where,
                            "named-entity recognition needs at least one entity type, e.g. \"entityTypes\": [\"PER\", \"LOC\"]"));
        }
        if (task.has("fields") && !task.has("template")) {
            // the default templates use no metadata field: without a template they would be dropped unseen
            problems.add(at(
                    "$.task.fields",
                    where,
                    "fields are the metadata fields a template uses; give the "
                            + "template that uses them, or leave fields out"));
        }
        if (task.has("examples") && task.has("examplesSource")) {
            problems.add(at("$.task.examplesSource", where, "give examples inline or as examplesSource, not both"));
        }
        if (type.equals(TaskType.SEMANTIC_MATCHING.name())
                && root.path("source").isObject()
                && !root.path("source").has("textBColumn")) {
            problems.add(
                    at("$.source", where, "a matching task needs textBColumn: the column of each pair's second text"));
        }
        JsonNode budget = root.path("optimize").path("budget").path("maxWallTime");
        if (budget.isTextual() && duration(budget.asText()) == null) {
            problems.add(
                    at("$.optimize.budget.maxWallTime", where, "expected a duration such as PT10M, 90s, 20m or 2h"));
        }
    }

    private static void checkSource(JsonNode source, String path, List<Problem> problems, Map<String, int[]> where) {
        if (!source.isObject()) {
            return;
        }
        String format = source.path("format").asText("");
        if ((format.equals("csv") || format.equals("jsonl")) && !source.has("path")) {
            problems.add(at(path, where, "missing path: a " + format + " source reads a file"));
        }
        if (format.equals("jdbc")) {
            for (String field : List.of("url", "query")) {
                if (!source.has(field)) {
                    problems.add(at(path, where, "missing " + field + ": a jdbc source needs url and query"));
                }
            }
        }
        JsonNode charset = source.path("charset");
        if (charset.isTextual() && !charset.asText().isBlank() && !isCharset(charset.asText())) {
            problems.add(at(path + ".charset", where, "not a character set this Java reads; e.g. UTF-8, GBK, GB18030"));
        }
        if (SecretReferences.hasPasswordInUrl(source.path("url").asText(null))) {
            problems.add(at(path + ".url", where, URL_PASSWORD));
        }
        JsonNode password = source.path("password");
        if (password.isTextual() && !SecretReferences.isReference(password.asText())) {
            problems.add(at(
                    path + ".password",
                    where,
                    "an inline password is not allowed: " + SecretReferences.howToRefer("password")));
        }
    }

    private static boolean isCharset(String name) {
        try {
            return java.nio.charset.Charset.isSupported(name.strip());
        } catch (IllegalArgumentException e) { // an illegal name
            return false;
        }
    }

    private static final String URL_PASSWORD = "a password in the URL is an inline secret; leave it out of the URL and "
            + "give \"password\": \"${env:DB_PASSWORD}\" (or \"${file:/path/to/password}\") beside it";

    private static Set<String> providerSecrets() {
        Set<String> keys = new HashSet<>();
        for (ModelProvider p : Models.providers()) {
            try {
                keys.addAll(p.secretOptions());
            } catch (RuntimeException | LinkageError e) {
                // a provider that cannot say is covered by the names every provider's secrets go by
            }
        }
        return keys;
    }

    /** Problems with secrets in a spec built in Java; a spec read from JSON was checked on the way in. */
    public static List<String> secretProblems(PipelineSpec spec) {
        List<String> problems = new ArrayList<>();
        Set<String> providerSecrets = null;
        for (Map.Entry<String, String> e : spec.model().options().entrySet()) {
            if (SecretReferences.isReference(e.getValue())) {
                continue;
            }
            if (providerSecrets == null) {
                providerSecrets = providerSecrets();
            }
            if (SecretReferences.isSecretKey(e.getKey(), providerSecrets)) {
                problems.add("model.options." + e.getKey() + ": an inline secret is not allowed: "
                        + SecretReferences.howToRefer(e.getKey()));
            }
        }
        List<PipelineSpec.Source> sources = new ArrayList<>();
        sources.add(spec.source());
        sources.add(SpecSources.sourceOf(
                spec.task().examples() == null ? null : spec.task().examples()));
        if (spec.optimize() != null) {
            sources.add(spec.optimize().dev());
            sources.add(spec.optimize().train());
        }
        for (PipelineSpec.Source s : sources) {
            if (s != null && s.password() != null && !SecretReferences.isReference(s.password())) {
                problems.add("source.password: an inline password is not allowed: "
                        + SecretReferences.howToRefer("password"));
            }
            if (s != null && SecretReferences.hasPasswordInUrl(s.url())) {
                problems.add("source.url: " + URL_PASSWORD);
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- binding

    /** A value the schema let through that a part refuses, with the JSON path of that part. */
    private static final class BindException extends RuntimeException {
        final String path;

        BindException(String path, String message) {
            super(message, null, false, false);
            this.path = path;
        }
    }

    private static PipelineSpec bind(JsonNode root, Path baseDir) {
        PipelineSpec.Builder b = PipelineSpec.builder().baseDir(baseDir);
        if (root.has("source")) {
            b.source(source(root.get("source"), "$.source"));
        }
        if (root.has("normalizer")) {
            b.normalizer(normalizer(root.get("normalizer")));
        }
        b.task(task(root.get("task"), baseDir));
        if (root.has("model")) {
            JsonNode m = root.get("model");
            b.model(guard(
                    "$.model", () -> new PipelineSpec.ModelRef(m.get("name").asText(), options(m.path("options")))));
        }
        if (root.has("run")) {
            JsonNode r = root.get("run");
            b.run(guard(
                    "$.run",
                    () -> new PipelineSpec.RunSettings(
                            r.has("batchSize") ? r.get("batchSize").asInt() : null,
                            r.has("concurrency") ? r.get("concurrency").asInt() : null,
                            r.has("errorMode")
                                    ? ErrorMode.valueOf(r.get("errorMode").asText())
                                    : null,
                            r.has("limit") ? r.get("limit").asLong() : null)));
        }
        if (root.has("optimize")) {
            JsonNode o = root.get("optimize");
            List<String> names = new ArrayList<>();
            o.get("optimizers").forEach(n -> names.add(n.asText()));
            b.optimize(guard(
                    "$.optimize",
                    () -> new PipelineSpec.Optimize(
                            names,
                            o.has("dev") ? source(o.get("dev"), "$.optimize.dev") : null,
                            o.has("train") ? source(o.get("train"), "$.optimize.train") : null,
                            o.has("budget") ? budget(o.get("budget")) : null,
                            o.has("seed") ? o.get("seed").asLong() : null)));
        }
        if (root.has("sink")) {
            JsonNode s = root.get("sink");
            b.sink(guard(
                    "$.sink",
                    () -> new PipelineSpec.Sink(
                            s.get("format").asText(), s.get("path").asText())));
        }
        return guard("$", b::build);
    }

    private static <T> T guard(String path, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new BindException(path, e.getMessage());
        }
    }

    private static PipelineSpec.Source source(JsonNode s, String path) {
        List<String> metadata = new ArrayList<>();
        s.path("metadataColumns").forEach(n -> metadata.add(n.asText()));
        return guard(
                path,
                () -> new PipelineSpec.Source(
                        s.get("format").asText(),
                        text(s, "path"),
                        text(s, "url"),
                        text(s, "user"),
                        text(s, "password"),
                        text(s, "query"),
                        text(s, "textColumn"),
                        text(s, "textBColumn"),
                        text(s, "labelColumn"),
                        text(s, "idColumn"),
                        text(s, "entitiesColumn"),
                        metadata,
                        text(s, "charset"),
                        s.has("delimiter") ? s.get("delimiter").asText().charAt(0) : null,
                        s.has("header") ? s.get("header").asBoolean() : null,
                        s.has("onBadRecord")
                                ? ErrorMode.valueOf(s.get("onBadRecord").asText())
                                : null));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static TextNormalizer normalizer(JsonNode n) {
        TextNormalizer.Builder b = TextNormalizer.defaults().toBuilder();
        if (n.has("htmlEntities")) b.htmlEntities(n.get("htmlEntities").asBoolean());
        if (n.has("nfkc")) b.nfkc(n.get("nfkc").asBoolean());
        if (n.has("controlCharacters"))
            b.controlCharacters(n.get("controlCharacters").asBoolean());
        if (n.has("collapseWhitespace"))
            b.collapseWhitespace(n.get("collapseWhitespace").asBoolean());
        if (n.has("trim")) b.trim(n.get("trim").asBoolean());
        if (n.has("lowercase")) b.lowercase(n.get("lowercase").asBoolean());
        if (n.has("halfWidthPunctuation"))
            b.halfWidthPunctuation(n.get("halfWidthPunctuation").asBoolean());
        return b.build();
    }

    private static Map<String, String> options(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static TaskSpec task(JsonNode t, Path baseDir) {
        TaskSpec.Builder b =
                TaskSpec.builder().taskType(TaskType.valueOf(t.get("type").asText()));
        List<Label> labels = new ArrayList<>();
        t.path("labels")
                .forEach(l -> labels.add(
                        l.isTextual()
                                ? Label.of(l.asText())
                                : Label.of(l.get("name").asText(), text(l, "description"))));
        b.labels(labels);
        List<String> types = new ArrayList<>();
        t.path("entityTypes").forEach(n -> types.add(n.asText()));
        b.entityTypes(types);
        if (t.has("template")) {
            List<String> fields = new ArrayList<>();
            t.path("fields").forEach(n -> fields.add(n.asText()));
            template(b, t.get("template").asText(), fields);
        }
        if (t.has("examples")) {
            List<TextRecord> records = new ArrayList<>();
            JsonNode list = t.get("examples");
            for (int i = 0; i < list.size(); i++) {
                JsonNode e = list.get(i);
                List<Entity> entities = null;
                if (e.has("entities")) {
                    entities = new ArrayList<>();
                    for (JsonNode en : e.get("entities")) {
                        Entity entity = guard(
                                "$.task.examples[" + i + "].entities",
                                () -> new Entity(
                                        en.get("start").asInt(),
                                        en.get("end").asInt(),
                                        en.get("type").asText(),
                                        en.get("mention").asText()));
                        entities.add(entity);
                    }
                }
                records.add(new TextRecord(
                        text(e, "id"),
                        e.get("text").asText(),
                        text(e, "textB"),
                        text(e, "label"),
                        entities,
                        Map.of(),
                        "examples[" + i + "]",
                        null));
            }
            b.examples(Dataset.of("examples", records));
        } else if (t.has("examplesSource")) {
            b.examples(SpecSources.open(source(t.get("examplesSource"), "$.task.examplesSource"), baseDir));
        }
        t.path("options")
                .properties()
                .forEach(e -> b.option(e.getKey(), e.getValue().asText()));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            String field = m.startsWith("labels")
                    ? ".labels"
                    : m.startsWith("entityTypes")
                            ? ".entityTypes"
                            : m.contains("template") || m.contains("placeholder") ? ".template" : "";
            throw new BindException("$.task" + field, m);
        }
    }

    private static void template(TaskSpec.Builder b, String template, List<String> fields) {
        PromptTemplate.Builder t = PromptTemplate.builder(template);
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            try {
                t.field(field);
            } catch (IllegalArgumentException e) {
                // the builder's message quotes the name, which may be anything pasted there
                throw new BindException(
                        "$.task.fields[" + i + "]",
                        PromptTemplate.STANDARD.contains(field)
                                ? "a standard placeholder; list only the records' metadata fields"
                                : "not a placeholder name: letters, digits and _, not starting with a digit");
            }
        }
        try {
            b.promptTemplate(t.build());
        } catch (IllegalArgumentException e) {
            java.util.regex.Matcher unknown = UNKNOWN_PLACEHOLDER.matcher(String.valueOf(e.getMessage()));
            // the builder's message repeats the placeholder, which may be anything pasted there, and advises Java
            throw new BindException(
                    "$.task.template",
                    !unknown.find()
                            ? e.getMessage()
                            : "unknown placeholder at character " + unknown.group(1) + " of the template; allowed are "
                                    + "{text}, {text_b}, {labels}, {examples}, {entity_types} and the metadata fields listed "
                                    + "in \"fields\"; for a metadata field, add its name to \"fields\"; for literal braces, "
                                    + "write {{ and }}");
        }
    }

    private static SearchBudget budget(JsonNode n) {
        SearchBudget.Builder b = SearchBudget.builder();
        if (n.has("maxCandidates")) b.maxCandidates(n.get("maxCandidates").asInt());
        if (n.has("maxModelCalls")) b.maxModelCalls(n.get("maxModelCalls").asLong());
        if (n.has("maxTokens")) b.maxTokens(n.get("maxTokens").asLong());
        if (n.has("maxCost")) b.maxCost(n.get("maxCost").asDouble());
        if (n.has("maxWallTime")) b.maxWallTime(duration(n.get("maxWallTime").asText()));
        return b.build();
    }

    /** An ISO-8601 duration or a short one (90s, 20m, 2h); {@code null} when it is neither. */
    public static Duration duration(String text) {
        java.util.regex.Matcher m = SHORT_DURATION.matcher(text.strip().toLowerCase(java.util.Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- writing

    /** The spec as JSON; with {@code targetDir}, relative paths are rewritten to resolve from there. */
    public static String write(PipelineSpec spec, Path targetDir) {
        ObjectNode root = NODES.objectNode();
        root.put("version", PipelineSpec.VERSION);
        if (spec.source() != null) {
            root.set("source", source(spec.source(), spec, targetDir));
        }
        if (!spec.normalizer().equals(TextNormalizer.defaults())) {
            TextNormalizer n = spec.normalizer();
            ObjectNode o = root.putObject("normalizer");
            o.put("htmlEntities", n.htmlEntities());
            o.put("nfkc", n.nfkc());
            o.put("controlCharacters", n.controlCharacters());
            o.put("collapseWhitespace", n.collapseWhitespace());
            o.put("trim", n.trim());
            o.put("lowercase", n.lowercase());
            o.put("halfWidthPunctuation", n.halfWidthPunctuation());
        }
        root.set("task", task(spec.task(), spec, targetDir));
        ObjectNode model = root.putObject("model");
        model.put("name", spec.model().name());
        ObjectNode modelOptions = model.putObject("options");
        spec.model()
                .options()
                .forEach((k, v) ->
                        modelOptions.put(k, targetDir == null ? v : moveFileReference(v, spec.baseDir(), targetDir)));
        PipelineSpec.RunSettings r = spec.run();
        if (!r.equals(PipelineSpec.RunSettings.DEFAULTS)) {
            ObjectNode run = root.putObject("run");
            if (r.batchSize() != null) run.put("batchSize", r.batchSize());
            if (r.concurrency() != null) run.put("concurrency", r.concurrency());
            if (r.errorMode() != null) run.put("errorMode", r.errorMode().name());
            if (r.limit() != null) run.put("limit", r.limit());
        }
        if (spec.optimize() != null) {
            PipelineSpec.Optimize o = spec.optimize();
            ObjectNode opt = root.putObject("optimize");
            ArrayNode names = opt.putArray("optimizers");
            o.optimizers().forEach(names::add);
            if (o.dev() != null) opt.set("dev", source(o.dev(), spec, targetDir));
            if (o.train() != null) opt.set("train", source(o.train(), spec, targetDir));
            if (o.budget() != null) opt.set("budget", budget(o.budget()));
            if (o.seed() != null) opt.put("seed", o.seed());
        }
        if (spec.sink() != null) {
            ObjectNode sink = root.putObject("sink");
            sink.put("format", spec.sink().format());
            sink.put("path", relocate(spec.sink().path(), spec, targetDir));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String relocate(String path, PipelineSpec spec, Path targetDir) {
        if (targetDir == null || Path.of(path).isAbsolute()) {
            return path;
        }
        Path abs = spec.resolve(path);
        return targetDir.toAbsolutePath().normalize().relativize(abs).toString().replace('\\', '/');
    }

    /**
     * A {@code ${file:…}} reference with a relative path, rewritten to name the same file from {@code to}; any other
     * value as it is. The value itself is never read.
     */
    private static String moveFileReference(String value, Path from, Path to) {
        String target = SecretReferences.fileTarget(value);
        if (target == null || Path.of(target).isAbsolute()) {
            return value;
        }
        Path abs = from.toAbsolutePath().resolve(target).normalize();
        return "${file:"
                + to.toAbsolutePath().normalize().relativize(abs).toString().replace('\\', '/') + "}";
    }

    private static ObjectNode source(PipelineSpec.Source s, PipelineSpec spec, Path targetDir) {
        ObjectNode o = NODES.objectNode();
        o.put("format", s.format());
        if (s.path() != null) o.put("path", relocate(s.path(), spec, targetDir));
        putIf(o, "url", s.url());
        putIf(o, "user", s.user());
        putIf(
                o,
                "password",
                s.password() == null || targetDir == null
                        ? s.password()
                        : moveFileReference(s.password(), spec.baseDir(), targetDir));
        putIf(o, "query", s.query());
        putIf(o, "textColumn", s.textColumn());
        putIf(o, "textBColumn", s.textBColumn());
        putIf(o, "labelColumn", s.labelColumn());
        putIf(o, "idColumn", s.idColumn());
        putIf(o, "entitiesColumn", s.entitiesColumn());
        if (!s.metadataColumns().isEmpty()) {
            ArrayNode a = o.putArray("metadataColumns");
            s.metadataColumns().forEach(a::add);
        }
        putIf(o, "charset", s.charset());
        if (s.delimiter() != null) o.put("delimiter", String.valueOf(s.delimiter()));
        if (s.header() != null) o.put("header", s.header());
        if (s.onBadRecord() != null) o.put("onBadRecord", s.onBadRecord().name());
        return o;
    }

    private static void putIf(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static ObjectNode task(TaskSpec t, PipelineSpec spec, Path targetDir) {
        ObjectNode o = NODES.objectNode();
        o.put("type", t.type().name());
        writeTemplate(t, o);
        if (!t.labels().isEmpty()) {
            ArrayNode labels = o.putArray("labels");
            for (Label l : t.labels()) {
                if (l.description().equals(l.name())) {
                    labels.add(l.name());
                } else {
                    labels.addObject().put("name", l.name()).put("description", l.description());
                }
            }
        }
        if (!t.entityTypes().isEmpty()) {
            ArrayNode types = o.putArray("entityTypes");
            t.entityTypes().forEach(types::add);
        }
        if (t.examples() != null) {
            PipelineSpec.Source from = SpecSources.sourceOf(t.examples());
            if (from != null) {
                // the examples' path is relative to the folder of the spec they were read with, which may not be
                // this spec's: resolve it there, then write it for where this spec is going
                Path openedIn = SpecSources.baseDirOf(t.examples());
                Path abs =
                        openedIn.resolve(from.path() == null ? "" : from.path()).normalize();
                Path target = (targetDir != null ? targetDir : spec.baseDir())
                        .toAbsolutePath()
                        .normalize();
                PipelineSpec.Source written = from.path() == null
                                || Path.of(from.path()).isAbsolute()
                        ? from
                        : from.withPath(target.relativize(abs).toString().replace('\\', '/'));
                ObjectNode examplesSource = source(written, spec, null);
                if (from.password() != null && !openedIn.equals(target)) {
                    // a relative ${file:} password is relative to that same folder
                    examplesSource.put("password", moveFileReference(from.password(), openedIn, target));
                }
                o.set("examplesSource", examplesSource);
            } else {
                ArrayNode examples = o.putArray("examples");
                for (TextRecord r : t.examples().toList()) {
                    ObjectNode e = examples.addObject();
                    putIf(e, "id", r.id());
                    e.put("text", r.text());
                    putIf(e, "textB", r.textB());
                    putIf(e, "label", r.label());
                    if (r.entities() != null) {
                        ArrayNode ents = e.putArray("entities");
                        for (Entity en : r.entities()) {
                            ents.addObject()
                                    .put("start", en.start())
                                    .put("end", en.end())
                                    .put("type", en.type())
                                    .put("mention", en.mention());
                        }
                    }
                }
            }
        }
        if (!t.options().isEmpty()) {
            ObjectNode opts = o.putObject("options");
            new java.util.TreeMap<>(t.options()).forEach(opts::put);
        }
        return o;
    }

    private static void writeTemplate(TaskSpec t, ObjectNode o) {
        if (t.promptTemplate() != null) {
            o.put("template", t.promptTemplate().source());
            if (!t.promptTemplate().fields().isEmpty()) {
                ArrayNode fields = o.putArray("fields");
                t.promptTemplate().fields().forEach(fields::add);
            }
        }
    }

    private static ObjectNode budget(SearchBudget b) {
        ObjectNode o = NODES.objectNode();
        if (b.maxCandidates() != Integer.MAX_VALUE) o.put("maxCandidates", b.maxCandidates());
        if (b.maxModelCalls() != Long.MAX_VALUE) o.put("maxModelCalls", b.maxModelCalls());
        if (b.maxTokens() != Long.MAX_VALUE) o.put("maxTokens", b.maxTokens());
        if (!Double.isInfinite(b.maxCost())) o.put("maxCost", b.maxCost());
        if (b.maxWallTime() != null) o.put("maxWallTime", b.maxWallTime().toString());
        return o;
    }
}
