package io.openautoglm.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.openautoglm.core.Models;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.PipelineSpecException;
import io.openautoglm.core.PipelineSpecException.Problem;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.spi.ModelProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a spec's schema cannot say: secrets given inline, labels or entity types a task needs, sources complete for
 * their format; and the preflight before a run: a provider for the model, the files, the secret references.
 */
public final class SpecChecks {
    private SpecChecks() {}

    /**
     * Every problem of a spec: the document's own, or when it has none, what can be checked without opening a model
     * or reading a record: a provider serves the model, the files the sources name exist, secret references
     * resolve. Messages name variables and files, never a value.
     */
    public static List<Problem> validate(String json, String name, Path baseDir, Map<String, String> overrides) {
        PipelineSpec spec;
        try {
            spec = SpecCodec.read(json, name, baseDir, overrides);
        } catch (PipelineSpecException e) {
            return e.problems();
        }
        Map<String, int[]> where = SpecCodec.locations(json);
        List<Problem> problems = new ArrayList<>();
        String model = spec.model().name();
        List<ModelProvider> providers = Models.providers();
        if (providers.stream().noneMatch(p -> p.supports(model))) {
            problems.add(SpecCodec.at(
                    "$.model.name",
                    where,
                    "no model provider serves this model name; providers found: " + describe(providers)
                            + " (autoglm models lists them)"));
        }
        spec.model().options().forEach((k, v) -> {
            String problem = unresolvable("model.options." + k, v, spec.baseDir());
            if (problem != null) {
                problems.add(SpecCodec.at("$.model.options." + k, where, problem));
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
        List<Problem> placed = SpecCodec.fromOverrides(problems, overrides.keySet(), where);
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
                problems.add(SpecCodec.at(path + ".path", where, "no such file: " + f));
            } else if (!java.nio.file.Files.isReadable(f)) {
                problems.add(SpecCodec.at(path + ".path", where, "the file cannot be read: " + f));
            }
        }
        if (source.password() != null) {
            String problem = unresolvable(path.substring(2) + ".password", source.password(), spec.baseDir());
            if (problem != null) {
                problems.add(SpecCodec.at(path + ".password", where, problem));
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

    /** What the schema cannot say: secrets, labels a task needs, sources complete for their format. */
    static void check(JsonNode root, List<Problem> problems, Map<String, int[]> where) {
        Set<String> providerSecrets = providerSecrets();
        JsonNode modelOptions = root.path("model").path("options");
        if (modelOptions.isObject()) {
            modelOptions.properties().forEach(e -> {
                if (SecretReferences.isSecretKey(e.getKey(), providerSecrets)
                        && !SecretReferences.isReference(e.getValue().asText())) {
                    problems.add(SpecCodec.at(
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
            problems.add(SpecCodec.at(
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
                    problems.add(SpecCodec.at("$.task.labels[" + i + "]", where, "this label is given twice"));
                }
            }
        }
        if (type.equals(TaskType.NAMED_ENTITY_RECOGNITION.name())
                && task.path("entityTypes").size() == 0) {
            problems.add(
                    SpecCodec.at(
                            task.has("entityTypes") ? "$.task.entityTypes" : "$.task",
                            where,
                            "named-entity recognition needs at least one entity type, e.g. \"entityTypes\": [\"PER\", \"LOC\"]"));
        }
        if (task.has("fields") && !task.has("template")) {
            // the default templates use no metadata field: without a template they would be dropped unseen
            problems.add(SpecCodec.at(
                    "$.task.fields",
                    where,
                    "fields are the metadata fields a template uses; give the "
                            + "template that uses them, or leave fields out"));
        }
        if (task.has("examples") && task.has("examplesSource")) {
            problems.add(SpecCodec.at(
                    "$.task.examplesSource", where, "give examples inline or as examplesSource, not both"));
        }
        if (type.equals(TaskType.SEMANTIC_MATCHING.name())
                && root.path("source").isObject()
                && !root.path("source").has("textBColumn")) {
            problems.add(SpecCodec.at(
                    "$.source", where, "a matching task needs textBColumn: the column of each pair's second text"));
        }
        JsonNode budget = root.path("optimize").path("budget").path("maxWallTime");
        if (budget.isTextual() && SpecCodec.duration(budget.asText()) == null) {
            problems.add(SpecCodec.at(
                    "$.optimize.budget.maxWallTime", where, "expected a duration such as PT10M, 90s, 20m or 2h"));
        }
    }

    private static void checkSource(JsonNode source, String path, List<Problem> problems, Map<String, int[]> where) {
        if (!source.isObject()) {
            return;
        }
        String format = source.path("format").asText("");
        if ((format.equals("csv") || format.equals("jsonl")) && !source.has("path")) {
            problems.add(SpecCodec.at(path, where, "missing path: a " + format + " source reads a file"));
        }
        if (format.equals("jdbc")) {
            for (String field : List.of("url", "query")) {
                if (!source.has(field)) {
                    problems.add(SpecCodec.at(path, where, "missing " + field + ": a jdbc source needs url and query"));
                }
            }
        }
        JsonNode charset = source.path("charset");
        if (charset.isTextual() && !charset.asText().isBlank() && !isCharset(charset.asText())) {
            problems.add(SpecCodec.at(
                    path + ".charset", where, "not a character set this Java reads; e.g. UTF-8, GBK, GB18030"));
        }
        if (SecretReferences.hasPasswordInUrl(source.path("url").asText(null))) {
            problems.add(SpecCodec.at(path + ".url", where, URL_PASSWORD));
        }
        JsonNode password = source.path("password");
        if (password.isTextual() && !SecretReferences.isReference(password.asText())) {
            problems.add(SpecCodec.at(
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
}
