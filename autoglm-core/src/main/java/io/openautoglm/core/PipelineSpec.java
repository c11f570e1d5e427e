package io.openautoglm.core;

import io.openautoglm.core.internal.SpecChecks;
import io.openautoglm.core.internal.SpecCodec;
import io.openautoglm.core.internal.SpecSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole run as data: where the records come from ({@link Source}), how texts are normalised, the task
 * ({@link TaskSpec}), the model ({@link ModelRef}), how the run goes ({@link RunSettings}), what to optimise
 * ({@link Optimize}) and where the results go ({@link Sink}). The builder, the optimisers, the {@code autoglm}
 * command line and the server all read and write this one document.
 *
 * <pre>{@code
 * PipelineSpec spec = PipelineSpec.read(Path.of("quickstart.json"));
 * try (TaskPipeline pipeline = TaskPipeline.builder().spec(spec).build();
 *      ResultWriters.Writer out = spec.openSink()) {
 *     System.out.println(pipeline.run(spec.openSource(), out).summary());
 * }
 * }</pre>
 *
 * <p>The JSON form is published as {@code docs/pipeline-spec.schema.json} and checked against it on every read:
 * an unknown field, a wrong type, a missing field or a value outside its set is refused with its JSON path and
 * the line and column where it is written, all problems at once ({@link PipelineSpecException}). Relative paths
 * resolve against {@link #baseDir()}: the folder of the file the spec was read from. Secret options (a GLM
 * {@code apiKey}, a JDBC {@code password}, anything a provider marks secret) hold only references, {@code
 * ${env:NAME}} or {@code ${file:/path}}, resolved when a pipeline is built; a spec never stores a secret.
 *
 * <p>Immutable and thread-safe; the {@code with…} methods return changed copies.
 */
public final class PipelineSpec {
    /** The format version this SDK reads and writes. */
    public static final int VERSION = 1;

    private final Source source;
    private final TextNormalizer normalizer;
    private final TaskSpec task;
    private final ModelRef model;
    private final RunSettings run;
    private final Optimize optimize;
    private final Sink sink;
    private final Path baseDir;

    private PipelineSpec(Builder b) {
        this.source = b.source;
        this.normalizer = b.normalizer == null ? TextNormalizer.defaults() : b.normalizer;
        this.task = Objects.requireNonNull(b.task, "task must be set");
        this.model = b.model == null ? new ModelRef(Models.DEFAULT_MODEL, Map.of()) : b.model;
        this.run = b.run == null ? RunSettings.DEFAULTS : b.run;
        this.optimize = b.optimize;
        this.sink = b.sink;
        this.baseDir =
                (b.baseDir == null ? Path.of("") : b.baseDir).toAbsolutePath().normalize();
        List<String> problems = SpecChecks.secretProblems(this);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .source(source)
                .normalizer(normalizer)
                .task(task)
                .model(model)
                .run(run)
                .optimize(optimize)
                .sink(sink)
                .baseDir(baseDir);
    }

    // ---- reading and writing ----

    /**
     * Reads a spec file; relative paths in it resolve against the file's folder.
     *
     * @throws PipelineSpecException listing every problem with its JSON path and line:column
     * @throws UncheckedIOException  when the file cannot be read
     */
    public static PipelineSpec read(Path file) {
        return read(file, Map.of());
    }

    /**
     * Reads a spec file with overrides applied before it is checked: each key is a path of JSON field names such
     * as {@code model.name} or {@code task.labels}, each value JSON ({@code 32}, {@code ["a","b"]}) or plain text
     * (a list field also takes {@code a,b,c}).
     */
    public static PipelineSpec read(Path file, Map<String, String> overrides) {
        return SpecCodec.read(text(file), file.toString(), file.toAbsolutePath().getParent(), overrides);
    }

    /** Reads a spec from JSON text; relative paths resolve against the working directory. */
    public static PipelineSpec fromJson(String json) {
        return fromJson(json, Path.of(""));
    }

    /** Reads a spec from JSON text whose relative paths resolve against {@code baseDir}. */
    public static PipelineSpec fromJson(String json, Path baseDir) {
        return SpecCodec.read(json, "spec", baseDir, Map.of());
    }

    /**
     * Checks a spec file without running anything: every problem of the document (with its JSON path and
     * line:column), or when it has none, what can be checked without opening a model or reading a record — a
     * provider serves the model, the files the sources name exist, the secret references resolve. An empty list
     * means the spec is ready to run.
     *
     * @throws UncheckedIOException when the file cannot be read
     */
    public static List<PipelineSpecException.Problem> validate(Path file, Map<String, String> overrides) {
        return SpecChecks.validate(
                text(file), file.toString(), file.toAbsolutePath().getParent(), overrides);
    }

    /**
     * Checks a spec given as JSON text, as {@link #validate(Path, Map)} checks a file: for a spec that arrives
     * without a file, such as one sent to a server. Relative paths resolve against {@code baseDir}; problems are
     * placed by line and column in {@code json}.
     */
    public static List<PipelineSpecException.Problem> validateJson(String json, Path baseDir) {
        return SpecChecks.validate(json, "spec", baseDir.toAbsolutePath().normalize(), Map.of());
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spec " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A duration as specs write it: ISO-8601 ({@code PT10M}) or short ({@code 90s}, {@code 20m}, {@code 2h}), in any
     * case; {@code null} when the text is neither.
     */
    public static java.time.Duration parseDuration(String text) {
        return SpecCodec.duration(text);
    }

    /** This spec as JSON, paths as written. */
    public String toJson() {
        return SpecCodec.write(this, null);
    }

    /**
     * Writes this spec to a file, with relative paths rewritten against the file's folder so that it runs from
     * there as it ran from here.
     */
    public void write(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(file, SpecCodec.write(this, dir) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spec " + file + ": " + e.getMessage(), e);
        }
    }

    // ---- the parts ----

    /** Where the records come from, or {@code null} when the caller supplies a dataset. */
    public Source source() {
        return source;
    }

    /** How texts are normalised before the task sees them; the defaults unless set. */
    public TextNormalizer normalizer() {
        return normalizer;
    }

    /** What to do with each record. */
    public TaskSpec task() {
        return task;
    }

    /** The model, by name, with its options; {@code local:bge-small-zh} unless set. */
    public ModelRef model() {
        return model;
    }

    /** Batch size, concurrency, error mode and record limit. */
    public RunSettings run() {
        return run;
    }

    /** What to optimise, or {@code null}. */
    public Optimize optimize() {
        return optimize;
    }

    /** Where results go, or {@code null}. */
    public Sink sink() {
        return sink;
    }

    /** The folder relative paths resolve against: the spec file's folder, or the working directory. */
    public Path baseDir() {
        return baseDir;
    }

    /** A path as the spec gives it, resolved against {@link #baseDir()}. */
    public Path resolve(String path) {
        return baseDir.resolve(path).normalize();
    }

    /** Opens the spec's source; the format's reader comes from {@code io.openautoglm:autoglm-data}. */
    public Dataset openSource() {
        if (source == null) {
            throw new IllegalStateException(
                    "source: this spec names no source; give one in the spec or run a " + "Dataset of your own");
        }
        return open(source);
    }

    /** Opens one of the spec's sources (its own, the optimiser's dev or train set, the examples' source). */
    public Dataset open(Source anySource) {
        return SpecSources.open(anySource, baseDir);
    }

    /**
     * Opens the model the spec names, with its secret references resolved; the caller closes it. For running a
     * pipeline, {@code TaskPipeline.builder().spec(spec)} opens the model itself.
     */
    public io.openautoglm.core.spi.Model openModel() {
        return Models.open(model.name(), resolvedModelOptions());
    }

    /**
     * The model's options with their secret references resolved, for code that configures a client itself. The
     * map holds secret values: never log it or write it out.
     */
    public Map<String, String> resolvedModelOptions() {
        Map<String, String> resolved = new LinkedHashMap<>();
        model.options()
                .forEach((k, v) -> resolved.put(
                        k, io.openautoglm.core.internal.SecretReferences.resolve("model.options." + k, v, baseDir)));
        return resolved;
    }

    /** Opens the spec's sink for writing; the caller closes it. */
    public ResultWriters.Writer openSink() {
        if (sink == null) {
            throw new IllegalStateException("sink: this spec names no sink");
        }
        Path file = resolve(sink.path());
        return sink.format().equals("csv") ? ResultWriters.csv(file) : ResultWriters.jsonl(file);
    }

    public PipelineSpec withSource(Source newSource) {
        return toBuilder().source(newSource).build();
    }

    public PipelineSpec withTask(TaskSpec newTask) {
        return toBuilder().task(newTask).build();
    }

    public PipelineSpec withModel(ModelRef newModel) {
        return toBuilder().model(newModel).build();
    }

    public PipelineSpec withRun(RunSettings newRun) {
        return toBuilder().run(newRun).build();
    }

    public PipelineSpec withOptimize(Optimize newOptimize) {
        return toBuilder().optimize(newOptimize).build();
    }

    public PipelineSpec withSink(Sink newSink) {
        return toBuilder().sink(newSink).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PipelineSpec s && toJson().equals(s.toJson()) && baseDir.equals(s.baseDir);
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    /** The JSON form: secrets are references only, so nothing secret can show. */
    @Override
    public String toString() {
        return toJson();
    }

    // ---- the sections ----

    /**
     * Records from a CSV or JSON Lines file ({@code path}) or a SQL query ({@code url}, {@code user},
     * {@code password} as a reference, {@code query}), with the columns that hold each part of a record.
     * Unset optional values are {@code null} and take the reader's defaults.
     */
    public record Source(
            String format,
            String path,
            String url,
            String user,
            String password,
            String query,
            String textColumn,
            String textBColumn,
            String labelColumn,
            String idColumn,
            String entitiesColumn,
            List<String> metadataColumns,
            String charset,
            Character delimiter,
            Boolean header,
            ErrorMode onBadRecord) {
        public Source {
            Objects.requireNonNull(format, "source.format");
            Objects.requireNonNull(textColumn, "source.textColumn");
            metadataColumns = metadataColumns == null ? List.of() : List.copyOf(metadataColumns);
            switch (format) {
                case "csv", "jsonl" -> {
                    if (path == null) {
                        throw new IllegalArgumentException("source.path: a " + format + " source needs a path");
                    }
                }
                case "jdbc" -> {
                    if (url == null || query == null) {
                        throw new IllegalArgumentException("source: a jdbc source needs url and query");
                    }
                }
                default -> throw new IllegalArgumentException("source.format: expected csv, jsonl or jdbc");
            }
        }

        /** A CSV file with a header row; {@code labelColumn} may be {@code null}. */
        public static Source csv(String path, String textColumn, String labelColumn) {
            return builder("csv")
                    .path(path)
                    .textColumn(textColumn)
                    .labelColumn(labelColumn)
                    .build();
        }

        /** A JSON Lines file; {@code labelColumn} may be {@code null}. */
        public static Source jsonl(String path, String textColumn, String labelColumn) {
            return builder("jsonl")
                    .path(path)
                    .textColumn(textColumn)
                    .labelColumn(labelColumn)
                    .build();
        }

        /** A source of the format ({@code csv}, {@code jsonl}, {@code jdbc}), every other part set by name. */
        public static SourceBuilder builder(String format) {
            return new SourceBuilder(format);
        }

        /** A builder that starts from this source. */
        public SourceBuilder toBuilder() {
            SourceBuilder b = new SourceBuilder(format);
            b.path = path;
            b.url = url;
            b.user = user;
            b.password = password;
            b.query = query;
            b.textColumn = textColumn;
            b.textBColumn = textBColumn;
            b.labelColumn = labelColumn;
            b.idColumn = idColumn;
            b.entitiesColumn = entitiesColumn;
            b.metadataColumns = metadataColumns;
            b.charset = charset;
            b.delimiter = delimiter;
            b.header = header;
            b.onBadRecord = onBadRecord;
            return b;
        }

        /** This source with a second text column, for matching. */
        public Source withTextBColumn(String column) {
            return toBuilder().textBColumn(column).build();
        }

        /** This source with a gold entities column, for NER. */
        public Source withEntitiesColumn(String column) {
            return toBuilder().entitiesColumn(column).build();
        }

        /** This source read from another file of the same format and columns. */
        public Source withPath(String newPath) {
            return toBuilder().path(newPath).build();
        }

        /** Where the records are, for messages: the path or the URL (never the password). */
        public String describe() {
            return path != null ? path : url;
        }

        @Override
        public String toString() {
            return "Source[" + format + " " + describe() + ", text=" + textColumn + "]";
        }
    }

    /** Builds a {@link Source}; unset parts are {@code null} and take the reader's defaults. */
    public static final class SourceBuilder {
        private final String format;
        private String path;
        private String url;
        private String user;
        private String password;
        private String query;
        private String textColumn;
        private String textBColumn;
        private String labelColumn;
        private String idColumn;
        private String entitiesColumn;
        private List<String> metadataColumns = List.of();
        private String charset;
        private Character delimiter;
        private Boolean header;
        private ErrorMode onBadRecord;

        private SourceBuilder(String format) {
            this.format = format;
        }

        public SourceBuilder path(String value) {
            this.path = value;
            return this;
        }

        public SourceBuilder url(String value) {
            this.url = value;
            return this;
        }

        public SourceBuilder user(String value) {
            this.user = value;
            return this;
        }

        /** A {@code ${env:NAME}} or {@code ${file:/path}} reference, never the password itself. */
        public SourceBuilder password(String reference) {
            this.password = reference;
            return this;
        }

        public SourceBuilder query(String value) {
            this.query = value;
            return this;
        }

        public SourceBuilder textColumn(String value) {
            this.textColumn = value;
            return this;
        }

        public SourceBuilder textBColumn(String value) {
            this.textBColumn = value;
            return this;
        }

        public SourceBuilder labelColumn(String value) {
            this.labelColumn = value;
            return this;
        }

        public SourceBuilder idColumn(String value) {
            this.idColumn = value;
            return this;
        }

        public SourceBuilder entitiesColumn(String value) {
            this.entitiesColumn = value;
            return this;
        }

        public SourceBuilder metadataColumns(List<String> value) {
            this.metadataColumns = value;
            return this;
        }

        public SourceBuilder charset(String value) {
            this.charset = value;
            return this;
        }

        public SourceBuilder delimiter(Character value) {
            this.delimiter = value;
            return this;
        }

        public SourceBuilder header(Boolean value) {
            this.header = value;
            return this;
        }

        public SourceBuilder onBadRecord(ErrorMode value) {
            this.onBadRecord = value;
            return this;
        }

        public Source build() {
            return new Source(
                    format,
                    path,
                    url,
                    user,
                    password,
                    query,
                    textColumn,
                    textBColumn,
                    labelColumn,
                    idColumn,
                    entitiesColumn,
                    metadataColumns,
                    charset,
                    delimiter,
                    header,
                    onBadRecord);
        }
    }

    /** The model by name and its provider options; secret options hold references only. */
    public record ModelRef(String name, Map<String, String> options) {
        public ModelRef {
            Objects.requireNonNull(name, "model.name");
            if (name.isBlank()) {
                throw new IllegalArgumentException(
                        "model.name: a model name is required, e.g. " + Models.DEFAULT_MODEL);
            }
            options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }

        public static ModelRef of(String name) {
            return new ModelRef(name, Map.of());
        }

        /** Option keys only: values may be secret references. */
        @Override
        public String toString() {
            return "ModelRef[" + name + ", options=" + options.keySet() + "]";
        }
    }

    /**
     * How a run goes; {@code null} fields take the pipeline's defaults (batch size 16, concurrency the processors
     * up to 4, {@link ErrorMode#COLLECT}, no limit).
     */
    public record RunSettings(Integer batchSize, Integer concurrency, ErrorMode errorMode, Long limit) {
        public static final RunSettings DEFAULTS = new RunSettings(null, null, null, null);

        public RunSettings {
            if (batchSize != null && batchSize < 1) {
                throw new IllegalArgumentException("run.batchSize: must be at least 1");
            }
            if (concurrency != null && concurrency < 1) {
                throw new IllegalArgumentException("run.concurrency: must be at least 1");
            }
            if (limit != null && limit < 1) {
                throw new IllegalArgumentException("run.limit: must be at least 1");
            }
        }
    }

    /**
     * Which optimisers to run, in order ({@code instruction}, {@code label-wording}, {@code demonstrations},
     * {@code options}, {@code threshold}), on which labelled sets, within which budget, from which seed.
     * {@code dev}, {@code train}, {@code budget} and {@code seed} may be {@code null}.
     */
    public record Optimize(List<String> optimizers, Source dev, Source train, SearchBudget budget, Long seed) {
        /** The optimiser names a spec may give, as the schema lists them. */
        public static final List<String> NAMES =
                List.of("instruction", "label-wording", "demonstrations", "options", "threshold");

        public Optimize {
            optimizers = List.copyOf(optimizers);
            if (optimizers.isEmpty()) {
                throw new IllegalArgumentException("optimize.optimizers: name at least one optimiser");
            }
            for (String name : optimizers) {
                if (!NAMES.contains(name)) {
                    throw new IllegalArgumentException(
                            "optimize.optimizers: expected names from " + String.join(", ", NAMES));
                }
            }
        }
    }

    /** Where results go: {@code jsonl} (every field, failures with their kind) or {@code csv}. */
    public record Sink(String format, String path) {
        public Sink {
            Objects.requireNonNull(format, "sink.format");
            Objects.requireNonNull(path, "sink.path");
            if (!format.equals("jsonl") && !format.equals("csv")) {
                throw new IllegalArgumentException("sink.format: expected jsonl or csv");
            }
        }

        public static Sink jsonl(String path) {
            return new Sink("jsonl", path);
        }

        public static Sink csv(String path) {
            return new Sink("csv", path);
        }
    }

    /** Builds a {@link PipelineSpec}; only the task is required. */
    public static final class Builder {
        private Builder() {}

        private Source source;
        private TextNormalizer normalizer;
        private TaskSpec task;
        private ModelRef model;
        private RunSettings run;
        private Optimize optimize;
        private Sink sink;
        private Path baseDir;

        public Builder source(Source source) {
            this.source = source;
            return this;
        }

        public Builder normalizer(TextNormalizer normalizer) {
            this.normalizer = normalizer;
            return this;
        }

        public Builder task(TaskSpec task) {
            this.task = task;
            return this;
        }

        public Builder model(ModelRef model) {
            this.model = model;
            return this;
        }

        public Builder model(String name) {
            this.model = ModelRef.of(name);
            return this;
        }

        public Builder run(RunSettings run) {
            this.run = run;
            return this;
        }

        public Builder optimize(Optimize optimize) {
            this.optimize = optimize;
            return this;
        }

        public Builder sink(Sink sink) {
            this.sink = sink;
            return this;
        }

        /** The folder relative paths resolve against; default the working directory. */
        public Builder baseDir(Path dir) {
            this.baseDir = dir;
            return this;
        }

        public PipelineSpec build() {
            return new PipelineSpec(this);
        }
    }
}
