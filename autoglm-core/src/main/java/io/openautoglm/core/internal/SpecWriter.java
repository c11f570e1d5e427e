package io.openautoglm.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openautoglm.core.Entity;
import io.openautoglm.core.Label;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TextNormalizer;
import io.openautoglm.core.TextRecord;
import java.nio.file.Path;

/** Writes a {@link PipelineSpec} as JSON, relative paths as written or relocated for another folder. */
final class SpecWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SpecWriter() {}

    /** The spec as JSON; with {@code targetDir}, relative paths are rewritten to resolve from there. */
    static String write(PipelineSpec spec, Path targetDir) {
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
