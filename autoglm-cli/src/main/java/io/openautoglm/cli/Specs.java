package io.openautoglm.cli;

import io.openautoglm.core.Models;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.PipelineSpecException;
import io.openautoglm.core.PipelineSpecException.Problem;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reading spec files the command line's way, and the checks that need neither a model nor a run. */
final class Specs {
    private Specs() {}

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

    /** Every problem of a spec file, as {@link PipelineSpec#validate} finds them. */
    static List<Problem> validate(Path file, Map<String, String> overrides) {
        requireReadable(file);
        try {
            return PipelineSpec.validate(file, overrides == null ? Map.of() : overrides);
        } catch (UncheckedIOException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    private static void requireReadable(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw CliException.usage("cannot read the spec " + file + ": "
                    + (Files.exists(file) ? "not a readable file" : "no such file"));
        }
    }

    /**
     * Refuses a spec whose model no provider serves (exit 2). A missing file or secret is left to the run, which
     * then cannot start (exit 3).
     */
    static void requireProvider(PipelineSpec spec, Path file, Map<String, String> overrides) {
        if (Models.providers().stream().noneMatch(p -> p.supports(spec.model().name()))) {
            List<Problem> model = validate(file, overrides).stream()
                    .filter(p -> p.path().equals("$.model.name"))
                    .toList();
            throw new PipelineSpecException(
                    file.toString(),
                    model.isEmpty()
                            ? List.of(new Problem("$.model.name", 0, 0, "no model provider serves this model name"))
                            : model);
        }
    }

    /** Refuses a spec without a source to read (exit 2). */
    static void requireSource(PipelineSpec spec, Path file) {
        if (spec.source() == null) {
            throw CliException.usage(file + ": the spec names no source; add \"source\": {\"format\": \"csv\", "
                    + "\"path\": …, \"textColumn\": …}");
        }
    }

    /** A sink for an output file named on the command line: its format from the extension. */
    static PipelineSpec.Sink sinkFor(Path out) {
        String name =
                out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
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

    /** The spec's source format and columns, read from another file. */
    static PipelineSpec.Source fileSource(PipelineSpec s, Path file, String flag) {
        PipelineSpec.Source base = s.source() != null
                ? s.source()
                : s.optimize() == null
                        ? null
                        : s.optimize().dev() != null
                                ? s.optimize().dev()
                                : s.optimize().train();
        if (base == null || base.path() == null) {
            throw CliException.usage(flag + ": the spec has no file source whose format and columns the file could "
                    + "share; add a file \"source\" (format, path and columns) to the spec");
        }
        return base.withPath(file.toAbsolutePath().normalize().toString());
    }
}
