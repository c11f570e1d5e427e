package io.openautoglm.cli;

import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.Models;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.PipelineSpecException;
import io.openautoglm.core.PipelineSpecException.Problem;
import io.openautoglm.core.internal.SecretReferences;
import io.openautoglm.core.spi.ModelProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reading spec files the command line's way, and the checks that need neither a model nor a run. */
final class Specs {
    private Specs() {
    }

    /**
     * Reads a spec file with {@code --set} overrides.
     *
     * @throws PipelineSpecException listing every problem (exit 2)
     * @throws CliException          when the file cannot be read (exit 2)
     */
    static PipelineSpec read(Path file, Map<String, String> overrides) {
        requireReadable(file);
        try {
            return PipelineSpec.read(file, overrides == null ? Map.of() : overrides);
        } catch (UncheckedIOException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** The problems of a spec file: the reader's, or when it has none, {@link #cheapChecks}'. */
    static List<Problem> validate(Path file, Map<String, String> overrides) {
        requireReadable(file);
        Map<String, String> sets = overrides == null ? Map.of() : overrides;
        List<Problem> problems;
        try {
            problems = PipelineSpec.validate(file, sets);
        } catch (UncheckedIOException e) {
            throw CliException.usage(e.getMessage());
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        return cheapChecks(read(file, sets), file);
    }

    private static void requireReadable(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw CliException.usage("cannot read the spec " + file + ": " + (Files.exists(file) ? "not a readable file"
                    : "no such file"));
        }
    }

    /**
     * What can be checked without opening a model or reading a record: a provider serves the model, the files the
     * sources name exist, the secret references resolve. Messages name variables and files, never a value.
     */
    static List<Problem> cheapChecks(PipelineSpec spec, Path file) {
        JsonLocations where = locations(file);
        List<Problem> problems = new ArrayList<>();
        String model = spec.model().name();
        List<ModelProvider> providers = Models.providers();
        if (providers.stream().noneMatch(p -> p.supports(model))) {
            problems.add(problem(where, "$.model.name", noProvider(model, providers)));
        }
        for (Map.Entry<String, String> o : spec.model().options().entrySet()) {
            String problem = unresolvable("model.options." + o.getKey(), o.getValue(), spec.baseDir());
            if (problem != null) {
                problems.add(problem(where, "$.model.options." + o.getKey(), problem));
            }
        }
        checkSource(spec, spec.source(), "$.source", where, problems);
        if (spec.optimize() != null) {
            checkSource(spec, spec.optimize().dev(), "$.optimize.dev", where, problems);
            checkSource(spec, spec.optimize().train(), "$.optimize.train", where, problems);
        }
        problems.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
                : Integer.compare(a.column(), b.column()));
        return problems;
    }

    private static void checkSource(PipelineSpec spec, PipelineSpec.Source source, String path, JsonLocations where,
                                    List<Problem> problems) {
        if (source == null) {
            return;
        }
        if (source.path() != null) {
            Path f = spec.resolve(source.path());
            if (!Files.isRegularFile(f)) {
                problems.add(problem(where, path + ".path", "no such file: " + f));
            } else if (!Files.isReadable(f)) {
                problems.add(problem(where, path + ".path", "the file cannot be read: " + f));
            }
        }
        if (source.password() != null) {
            String problem = unresolvable(path.substring(2) + ".password", source.password(), spec.baseDir());
            if (problem != null) {
                problems.add(problem(where, path + ".password", problem));
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
        } catch (AutoGlmException e) {
            String m = e.getMessage();
            return m.startsWith(what + ": ") ? m.substring(what.length() + 2) : m;
        }
    }

    private static Problem problem(JsonLocations where, String path, String message) {
        int[] lc = where.at(path);
        return new Problem(path, lc[0], lc[1], message);
    }

    /**
     * Refuses a spec whose model no provider serves (exit 2). A missing file or secret is left to the run, which
     * then cannot start (exit 3).
     */
    static void requireProvider(PipelineSpec spec, Path file) {
        String model = spec.model().name();
        List<ModelProvider> providers = Models.providers();
        if (providers.stream().noneMatch(p -> p.supports(model))) {
            JsonLocations where = locations(file);
            throw new PipelineSpecException(file.toString(), List.of(problem(where, "$.model.name",
                    noProvider(model, providers))));
        }
    }

    private static String noProvider(String model, List<ModelProvider> providers) {
        return "no model provider serves '" + model + "'; providers found: " + describe(providers)
                + " (see 'autoglm models')";
    }

    private static JsonLocations locations(Path file) {
        try {
            return JsonLocations.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return JsonLocations.of("");
        }
    }

    /** The model's provider options with their secret references resolved: for opening the model directly. */
    static Map<String, String> resolvedModelOptions(PipelineSpec spec) {
        Map<String, String> out = new LinkedHashMap<>();
        spec.model().options().forEach((k, v) ->
                out.put(k, SecretReferences.resolve("model.options." + k, v, spec.baseDir())));
        return out;
    }

    /** Providers as {@code local (local:bge-small-zh, …)}, for messages. */
    static String describe(List<ModelProvider> providers) {
        if (providers.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (ModelProvider p : providers) {
            parts.add(p.name() + " (" + String.join(", ", p.exampleModels()) + ")");
        }
        return String.join("; ", parts);
    }

    /** A sink for an output file named on the command line: its format from the extension. */
    static PipelineSpec.Sink sinkFor(Path out) {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        String file = out.toAbsolutePath().normalize().toString();
        if (name.endsWith(".csv")) {
            return PipelineSpec.Sink.csv(file);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return PipelineSpec.Sink.jsonl(file);
        }
        throw CliException.usage("--out " + out + ": expected a file ending in .jsonl (JSON Lines) or .csv");
    }

    /** The spec with a record limit from the command line. */
    static PipelineSpec withLimit(PipelineSpec spec, long limit) {
        if (limit < 1) {
            throw CliException.usage("--limit: must be at least 1, got " + limit);
        }
        PipelineSpec.RunSettings r = spec.run();
        return spec.withRun(new PipelineSpec.RunSettings(r.batchSize(), r.concurrency(), r.errorMode(), limit));
    }
}
