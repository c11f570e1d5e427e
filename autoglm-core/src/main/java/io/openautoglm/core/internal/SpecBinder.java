package io.openautoglm.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Entity;
import io.openautoglm.core.ErrorMode;
import io.openautoglm.core.Label;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.PromptTemplate;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextNormalizer;
import io.openautoglm.core.TextRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Binds a spec's JSON tree, already checked against the schema, to the Java parts; a value a part still refuses
 * comes out as a {@link BindException} with the JSON path of that part.
 */
final class SpecBinder {
    private static final Pattern UNKNOWN_PLACEHOLDER =
            Pattern.compile("unknown placeholder \\{[^{}]*} at character (\\d+)");
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]+)\\s*([smh])");

    private SpecBinder() {}

    /** A value the schema let through that a part refuses, with the JSON path of that part. */
    static final class BindException extends RuntimeException {
        final String path;

        BindException(String path, String message) {
            super(message, null, false, false);
            this.path = path;
        }
    }

    static PipelineSpec bind(JsonNode root, Path baseDir) {
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
}
