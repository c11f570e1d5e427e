package io.openautoglm.core;

import io.openautoglm.core.internal.IdIndex;
import io.openautoglm.core.internal.SecretReferences;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task over a dataset: each record is normalised, checked, sent to the model in batches with
 * bounded concurrency, and comes back as a typed result or a failure with its reason, in input order.
 *
 * <pre>{@code
 * Dataset dataset = DataLoader.fromCsv(Path.of("user_feedback.csv")).load("text", "label");
 * try (TaskPipeline pipeline = TaskPipeline.builder()
 *         .taskType(TaskType.TEXT_CLASSIFICATION)
 *         .model("local:bge-small-zh")
 *         .promptTemplate("判断以下用户反馈的情感倾向:{text}")
 *         .labels("正面", "负面", "中性")
 *         .build()) {
 *     PipelineResult results = pipeline.run(dataset);
 *     System.out.println(results.summary());
 * }
 * }</pre>
 *
 * <p>A pipeline opens its model on first use and keeps it, with the predictor it prepared (a few-shot head,
 * a calibrated threshold), for every later run; {@link #close()} releases them. A model passed in as an
 * instance stays the caller's to close. Thread-safe: runs may overlap.
 */
public final class TaskPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskPipeline.class);
    /** What a record that {@link #close()} kept from running ends with. */
    private static final Failure CLOSED = Failure.of(Failure.Kind.CANCELLED, "cancelled: the pipeline was closed");

    private final TaskSpec spec;
    private final Task task;
    private final String modelName;
    private final Model suppliedModel;
    private final Map<String, String> modelOptions;
    private final TextNormalizer normalizer;
    private final int batchSize;
    private final int concurrency;
    /** Bounds predictor calls across runs, whatever executor runs them (a caller's may have more threads). */
    private final Semaphore modelCalls;

    private final ProgressListener progressListener;
    private final ErrorMode errorMode;
    private final Executor suppliedExecutor;
    private final long limit;

    private final Object lock = new Object();
    private Model openedModel;
    private Predictor predictor;
    private ExecutorService ownExecutor;
    private volatile boolean closed;

    private TaskPipeline(Builder b) {
        TaskSpec given = b.task.build();
        // examples are normalised like the records they are compared with
        this.spec = given.examples() == null
                ? given
                : given.toBuilder()
                        .examples(given.examples().map(b.normalizer::normalize))
                        .build();
        this.task = Task.of(spec);
        this.suppliedModel = b.model;
        this.modelName = b.model != null ? b.model.name() : b.modelName;
        Map<String, String> resolved = new LinkedHashMap<>();
        // a spec names secrets by reference only; they are read here, once, and never written back
        b.modelOptions.forEach((k, v) -> resolved.put(k, SecretReferences.resolve("model.options." + k, v, b.baseDir)));
        this.modelOptions = Map.copyOf(resolved);
        this.limit = b.limit;
        this.normalizer = b.normalizer;
        this.batchSize = b.batchSize;
        this.concurrency = b.concurrency;
        this.modelCalls = new Semaphore(b.concurrency);
        this.progressListener = b.progressListener;
        this.errorMode = b.errorMode;
        this.suppliedExecutor = b.executor;
        if (suppliedModel == null) {
            // Resolve now so that a wrong name or a misspelt option fails at build(), not in the middle of a run.
            Models.providerFor(modelName).checkOptions(modelOptions);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public TaskSpec spec() {
        return spec;
    }

    public Task task() {
        return task;
    }

    public String modelName() {
        return modelName;
    }

    /** Runs the dataset and keeps every result in memory. */
    public PipelineResult run(Dataset dataset) {
        return execute(dataset, null, new PipelineRun());
    }

    /**
     * Runs the dataset and hands each result to the sink in input order, keeping none in memory: for
     * inputs of any size. The returned result has counts, metrics and usage but no records.
     */
    public PipelineResult run(Dataset dataset, ResultSink sink) {
        return execute(dataset, Objects.requireNonNull(sink, "sink"), new PipelineRun());
    }

    /** Starts a run in the background; {@code sink} may be {@code null} to keep results in memory. */
    public PipelineRun start(Dataset dataset, ResultSink sink) {
        PipelineRun run = new PipelineRun();
        Thread reader = new Thread(
                () -> {
                    try {
                        run.future().complete(execute(dataset, sink, run));
                    } catch (Throwable t) {
                        run.future().completeExceptionally(t);
                    }
                },
                "autoglm-pipeline-" + dataset.name());
        reader.setDaemon(true);
        reader.start();
        return run;
    }

    /**
     * Closes the model this pipeline opened and stops its own threads. A run still going ends early but whole: the
     * batches not yet sent and the records not yet read fail with "cancelled: the pipeline was closed"
     * ({@link Failure.Kind#CANCELLED}), and its {@link PipelineResult#cancelled()} is true. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (openedModel != null) {
                openedModel.close();
                openedModel = null;
            }
            if (ownExecutor != null) {
                // Batches still queued hold a permit and slots of their run: fail them, so the run ends.
                for (Runnable never : ownExecutor.shutdownNow()) {
                    if (never instanceof BatchTask b) {
                        b.abandon(CLOSED);
                    }
                }
                ownExecutor = null;
            }
            predictor = null;
        }
    }

    private Predictor predictor() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("this pipeline is closed");
            }
            if (predictor == null) {
                Model model = suppliedModel != null ? suppliedModel : Models.open(modelName, modelOptions);
                long start = System.nanoTime();
                try {
                    predictor = model.predictor(task);
                } catch (RuntimeException | Error e) {
                    if (model != suppliedModel) {
                        model.close(); // the next run opens a fresh one: this one would never be closed
                    }
                    throw e;
                }
                if (model != suppliedModel) {
                    openedModel = model;
                }
                LOG.debug(
                        "prepared {} for {} in {} ms", modelName, spec.type(), (System.nanoTime() - start) / 1_000_000);
            }
            return predictor;
        }
    }

    private Executor executor() {
        if (suppliedExecutor != null) {
            return suppliedExecutor;
        }
        synchronized (lock) {
            if (closed) {
                // a pool made now would never be shut down
                throw new IllegalStateException("this pipeline is closed");
            }
            if (ownExecutor == null) {
                AtomicInteger n = new AtomicInteger();
                ownExecutor = Executors.newFixedThreadPool(concurrency, r -> {
                    Thread t = new Thread(r, "autoglm-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            }
            return ownExecutor;
        }
    }

    private PipelineResult execute(Dataset dataset, ResultSink sink, PipelineRun handle) {
        Predictor p = predictor();
        Run run = new Run(dataset.name(), p, executor(), sink, handle.cancelFlag());
        return run.execute(dataset);
    }

    /** A batch queued on the executor; when the executor drops it unrun, {@link #abandon} still delivers it. */
    private static final class BatchTask implements Runnable {
        private final Run run;
        private final long batchNo;
        private final List<Slot> slots;
        private final List<TextRecord> runnable;

        BatchTask(Run run, long batchNo, List<Slot> slots, List<TextRecord> runnable) {
            this.run = run;
            this.batchNo = batchNo;
            this.slots = slots;
            this.runnable = runnable;
        }

        @Override
        public void run() {
            run.runBatch(batchNo, slots, runnable);
        }

        void abandon(Failure failure) {
            run.abandonBatch(batchNo, slots, runnable, failure);
        }
    }

    /** One slot per input record; {@code failure} set when it cannot be sent to the model. */
    private record Slot(long index, TextRecord record, Failure failure) {}

    /** The state of one run: reading, batching, delivery in order. */
    private final class Run {
        private final String datasetName;
        private final Predictor predictor;
        private final Executor executor;
        private final ResultSink sink;
        private final AtomicBoolean cancelled;
        private final UsageMeter meter = new UsageMeter();
        private final Evaluator evaluator = task.newEvaluator();
        private final List<RecordResult> retained = new ArrayList<>();
        private final Semaphore inFlight = new Semaphore(concurrency * 2);
        private final TreeMap<Long, List<RecordResult>> waiting = new TreeMap<>();
        private final IdIndex seenIds = new IdIndex();
        private final long startNanos = System.nanoTime();
        private long nextBatch;
        private long succeeded;
        private long failed;
        private final Map<Failure.Kind, Long> failuresByKind = new EnumMap<>(Failure.Kind.class);
        private volatile Throwable fatal;

        Run(String datasetName, Predictor predictor, Executor executor, ResultSink sink, AtomicBoolean cancelled) {
            this.datasetName = datasetName;
            this.predictor = predictor;
            this.executor = executor;
            this.sink = sink;
            this.cancelled = cancelled;
        }

        PipelineResult execute(Dataset dataset) {
            long index = 0;
            long batchNo = 0;
            List<Slot> batch = new ArrayList<>(batchSize);
            int runnable = 0;
            try (RecordCursor cursor = dataset.open()) {
                while (fatal == null && index < limit && cursor.hasNext()) {
                    Slot slot = prepare(index++, cursor.next());
                    batch.add(slot);
                    if (slot.failure() == null) {
                        runnable++;
                    }
                    // Cap the slot count too, so a long run of bad rows cannot grow one batch without bound.
                    if (runnable == batchSize || batch.size() == 4 * batchSize) {
                        submit(batchNo++, batch);
                        batch = new ArrayList<>(batchSize);
                        runnable = 0;
                    }
                }
                if (!batch.isEmpty()) {
                    submit(batchNo++, batch);
                }
            } finally {
                inFlight.acquireUninterruptibly(concurrency * 2);
                inFlight.release(concurrency * 2);
            }
            if (fatal instanceof RuntimeException re) {
                throw re;
            } else if (fatal instanceof Error e) {
                throw e;
            } else if (fatal != null) {
                throw new AutoGlmException("pipeline run failed", fatal);
            }
            java.time.Duration elapsed = java.time.Duration.ofNanos(System.nanoTime() - startNanos);
            Metrics metrics = evaluator.metrics();
            // A close() cut the run short when records were not run to the end; one that came after the last
            // record was delivered, or that every batch outran, did not.
            boolean cutByClose = closed && failuresByKind.containsKey(Failure.Kind.CANCELLED);
            return new PipelineResult(
                    spec.type(),
                    modelName,
                    datasetName,
                    retained,
                    sink == null,
                    succeeded,
                    failed,
                    failuresByKind,
                    meter.truncated(),
                    metrics.evaluated() > 0 ? metrics : null,
                    meter.snapshot(elapsed),
                    cancelled.get() || cutByClose);
        }

        private Slot prepare(long index, TextRecord raw) {
            if (!raw.isValid()) {
                return reject(index, raw, Failure.of(Failure.Kind.INVALID_INPUT, raw.problem()));
            }
            if (cancelled.get()) {
                return new Slot(index, raw, Failure.of(Failure.Kind.CANCELLED, "cancelled"));
            }
            if (closed) {
                return new Slot(index, raw, CLOSED);
            }
            TextRecord record = normalizer.normalize(raw);
            Failure problem = task.validate(record)
                    .map(p -> Failure.of(Failure.Kind.INVALID_INPUT, p))
                    .orElse(null);
            if (problem == null && record.id() != null) {
                long first = seenIds.putIfAbsent(record.id(), index);
                if (first >= 0) {
                    problem = Failure.of(
                            Failure.Kind.DUPLICATE_ID,
                            "duplicate id '" + record.id() + "' (first at record " + (first + 1) + ")");
                }
            }
            if (problem != null) {
                return reject(index, record, problem);
            }
            if (record.id() == null) {
                // Models that journal or cache per record need a stable key; the position is the record's id.
                record = record.toBuilder().id(String.valueOf(index + 1)).build();
            }
            return new Slot(index, record, null);
        }

        private Slot reject(long index, TextRecord record, Failure problem) {
            if (errorMode == ErrorMode.FAIL_FAST) {
                throw new DataException(
                        record.source() != null ? record.source() : datasetName + " record " + (index + 1),
                        0,
                        problem.message());
            }
            return new Slot(index, record, problem);
        }

        private void submit(long batchNo, List<Slot> slots) {
            List<TextRecord> runnable = new ArrayList<>();
            for (Slot s : slots) {
                if (s.failure() == null) {
                    runnable.add(s.record());
                }
            }
            if (runnable.isEmpty()) {
                deliver(batchNo, complete(slots, List.of()));
                return;
            }
            inFlight.acquireUninterruptibly();
            BatchTask task = new BatchTask(this, batchNo, slots, runnable);
            try {
                executor.execute(task);
            } catch (RuntimeException rejected) {
                task.abandon(
                        closed
                                ? CLOSED
                                : Failure.of(
                                        Failure.Kind.CANCELLED,
                                        "not run: the executor refused the batch (" + rejected + ")"));
            }
        }

        /** Runs one batch on a worker: predicts, then delivers, and always gives its permit back. */
        void runBatch(long batchNo, List<Slot> slots, List<TextRecord> runnable) {
            if (cancelled.get() || closed) {
                // queued before cancel() or close() (on a caller's executor, which close() does not stop): not sent
                abandonBatch(
                        batchNo, slots, runnable, closed ? CLOSED : Failure.of(Failure.Kind.CANCELLED, "cancelled"));
                return;
            }
            try {
                deliver(batchNo, complete(slots, predictBatch(runnable)));
            } finally {
                inFlight.release();
            }
        }

        /** Delivers a batch that will never run, every runnable record failed with {@code failure}. */
        void abandonBatch(long batchNo, List<Slot> slots, List<TextRecord> runnable, Failure failure) {
            try {
                deliver(
                        batchNo,
                        complete(
                                slots,
                                runnable.stream()
                                        .map(r -> Outcome.failure(failure.kind(), failure.message()))
                                        .toList()));
            } finally {
                inFlight.release();
            }
        }

        private List<Outcome> predictBatch(List<TextRecord> records) {
            List<Outcome> outcomes;
            try {
                modelCalls.acquireUninterruptibly();
                try {
                    outcomes = predictor.predict(records, meter);
                } finally {
                    modelCalls.release();
                }
            } catch (VirtualMachineError e) {
                // out of memory or stack: the batch fails and the run ends with the error, once delivered
                fatal = fatal == null ? e : fatal;
                return records.stream()
                        .map(r -> Outcome.failure(Failure.Kind.MODEL_ERROR, "model call failed: " + e))
                        .toList();
            } catch (RuntimeException | Error e) {
                // any other error (a native library that fails to link, an assertion) fails this batch only
                LOG.warn("a batch of {} records failed: {}", records.size(), e.toString());
                String reason = "model call failed: " + (e instanceof Error ? e.toString() : e.getMessage());
                // close() interrupts the calls in flight: what they throw then is the closing, not the model
                Failure.Kind kind = closed ? Failure.Kind.CANCELLED : Failure.Kind.MODEL_ERROR;
                return records.stream().map(r -> Outcome.failure(kind, reason)).toList();
            }
            if (outcomes == null || outcomes.size() != records.size()) {
                String reason = "model returned " + (outcomes == null ? "no" : outcomes.size()) + " outcomes for "
                        + records.size() + " records";
                return records.stream()
                        .map(r -> Outcome.failure(Failure.Kind.MODEL_ERROR, reason))
                        .toList();
            }
            return outcomes;
        }

        private List<RecordResult> complete(List<Slot> slots, List<Outcome> outcomes) {
            List<RecordResult> results = new ArrayList<>(slots.size());
            int o = 0;
            for (Slot s : slots) {
                if (s.failure() != null) {
                    results.add(new RecordResult(s.index(), s.record(), null, s.failure(), null));
                } else {
                    Outcome out = outcomes.get(o++);
                    Failure problem = out == null
                            ? Failure.of(Failure.Kind.MODEL_ERROR, "the model returned no outcome for this record")
                            : out.failure() != null
                                    ? null
                                    : task.checkPrediction(out.prediction()).orElse(null);
                    if (problem != null) {
                        results.add(
                                new RecordResult(s.index(), s.record(), null, problem, out == null ? null : out.raw()));
                    } else {
                        results.add(
                                new RecordResult(s.index(), s.record(), out.prediction(), out.failure(), out.raw()));
                    }
                }
            }
            return results;
        }

        /** Hands batches on in input order, whichever order they finish in. */
        private void deliver(long batchNo, List<RecordResult> results) {
            synchronized (waiting) {
                waiting.put(batchNo, results);
                boolean delivered = false;
                while (!waiting.isEmpty() && waiting.firstKey() == nextBatch) {
                    try {
                        for (RecordResult r : waiting.pollFirstEntry().getValue()) {
                            accept(r);
                        }
                    } catch (Throwable e) {
                        // a bug past the checks: end the run loudly rather than stall every later batch
                        fatal = fatal == null ? e : fatal;
                    } finally {
                        nextBatch++;
                        delivered = true;
                    }
                }
                if (delivered && sink != null) {
                    try {
                        sink.flush(); // a writer's file then ends on the last record delivered
                    } catch (Throwable e) {
                        fatal = fatal == null ? e : fatal;
                    }
                }
                // under the lock, so that listeners see the counts in the order they were reached
                if (progressListener != null) {
                    try {
                        progressListener.onProgress(progress());
                    } catch (RuntimeException e) {
                        LOG.warn("progress listener failed: {}", e.toString());
                    }
                }
            }
        }

        private void accept(RecordResult r) {
            if (r.succeeded()) {
                succeeded++;
                if (r.record().hasGold()) {
                    evaluator.add(r.record(), r.prediction());
                }
            } else {
                failed++;
                failuresByKind.merge(r.failure().kind(), 1L, Long::sum);
            }
            if (sink == null) {
                retained.add(r);
                return;
            }
            try {
                sink.accept(r);
            } catch (Throwable e) {
                // the run ends with it, once the batches in flight are delivered
                if (fatal == null) {
                    fatal = e;
                }
            }
        }

        private Progress progress() {
            synchronized (waiting) {
                return new Progress(
                        succeeded + failed,
                        succeeded,
                        failed,
                        java.time.Duration.ofNanos(System.nanoTime() - startNanos));
            }
        }
    }

    /** Builds a {@link TaskPipeline}. Only the task type is required; the model defaults to the embedded one. */
    public static final class Builder {
        private Builder() {}

        /** The task part, held as the one task type rather than copied field by field. */
        private TaskSpec.Builder task = TaskSpec.builder();

        private boolean taskTypeSet;
        private String modelName = Models.DEFAULT_MODEL;
        private Model model;
        private final Map<String, String> modelOptions = new LinkedHashMap<>();
        private TextNormalizer normalizer = TextNormalizer.defaults();
        private int batchSize = 16;
        private int concurrency = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private ProgressListener progressListener;
        private ErrorMode errorMode = ErrorMode.COLLECT;
        private Executor executor;
        private long limit = Long.MAX_VALUE;
        /** Which run settings were given, so that toSpec() leaves the others to the defaults where the spec runs. */
        private boolean batchSizeSet;

        private boolean concurrencySet;
        private boolean errorModeSet;
        private Path baseDir = Path.of("").toAbsolutePath();

        /**
         * Everything a pipeline spec says of the task, the model, the normaliser and the run. The spec's source and
         * sink are the caller's to open ({@link PipelineSpec#openSource()}, {@link PipelineSpec#openSink()}); the
         * model's secret references are resolved when the pipeline is built.
         */
        public Builder spec(PipelineSpec spec) {
            task(spec.task());
            model(spec.model().name());
            modelOptions.clear();
            modelOptions.putAll(spec.model().options());
            normalizer(spec.normalizer());
            PipelineSpec.RunSettings r = spec.run();
            if (r.batchSize() != null) {
                batchSize(r.batchSize());
            }
            if (r.concurrency() != null) {
                concurrency(r.concurrency());
            }
            if (r.errorMode() != null) {
                errorMode(r.errorMode());
            }
            if (r.limit() != null) {
                limit(r.limit());
            }
            this.baseDir = spec.baseDir();
            return this;
        }

        /**
         * This builder as a pipeline spec without source or sink (add them with {@link PipelineSpec#withSource} and
         * {@link PipelineSpec#withSink}). Examples given as a dataset are written out record by record, unless they
         * were opened from a spec's source, which is then named instead. The progress listener and the executor
         * are not data and are left out.
         *
         * @throws IllegalStateException when a part cannot be written as data: a model given as an open instance
         * @throws IllegalArgumentException when a secret option holds a value rather than a reference
         */
        public PipelineSpec toSpec() {
            if (model != null) {
                throw new IllegalStateException("toSpec: the model was given as an open Model instance, which cannot "
                        + "be written as data; name it instead, e.g. model(\"" + Models.DEFAULT_MODEL + "\")");
            }
            if (!taskTypeSet) {
                throw new IllegalStateException("toSpec: taskType must be set");
            }
            return PipelineSpec.builder()
                    .task(task.build())
                    .model(new PipelineSpec.ModelRef(modelName, modelOptions))
                    .normalizer(normalizer)
                    .run(new PipelineSpec.RunSettings(
                            batchSizeSet ? batchSize : null,
                            concurrencySet ? concurrency : null,
                            errorModeSet ? errorMode : null,
                            limit == Long.MAX_VALUE ? null : limit))
                    .baseDir(baseDir)
                    .build();
        }

        /** Runs at most this many records of each dataset; the rest are not read. */
        public Builder limit(long records) {
            if (records < 1) {
                throw new IllegalArgumentException("limit must be at least 1, got " + records);
            }
            this.limit = records;
            return this;
        }

        /** The whole task part at once: type, template, labels, entity types, examples and options. */
        public Builder task(TaskSpec spec) {
            this.task = spec.toBuilder();
            this.taskTypeSet = true;
            return this;
        }

        public Builder taskType(TaskType taskType) {
            task.taskType(Objects.requireNonNull(taskType, "taskType"));
            taskTypeSet = true;
            return this;
        }

        /** The model by name, e.g. {@code local:bge-small-zh} (the default) or {@code glm-4-flash}. */
        public Builder model(String name) {
            this.modelName = Objects.requireNonNull(name, "model");
            this.model = null;
            return this;
        }

        /** An open model to use; the pipeline will not close it. */
        public Builder model(Model openModel) {
            this.model = Objects.requireNonNull(openModel, "model");
            return this;
        }

        /** A provider option such as {@code apiKey}; values are never logged. */
        public Builder modelOption(String key, String value) {
            modelOptions.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** A task option such as {@code threshold} for matching. */
        public Builder option(String key, String value) {
            task.option(key, value);
            return this;
        }

        /**
         * The prompt template, parsed with the {@link PromptTemplate} rules ({@code {{ }}} for literal braces);
         * {@code null} for the task's default.
         *
         * @throws IllegalArgumentException for an unknown placeholder (named), a lone brace or a blank template
         */
        public Builder promptTemplate(String template) {
            task.promptTemplate(template);
            return this;
        }

        /** The prompt template, with any metadata fields it declares; {@code null} for the task's default. */
        public Builder promptTemplate(PromptTemplate template) {
            task.promptTemplate(template);
            return this;
        }

        /** The label set, each label worded as its own name. */
        public Builder labels(String... names) {
            task.labels(names);
            return this;
        }

        /** The label set with the wording a model sees for each label. */
        public Builder labels(Label... labels) {
            task.labels(List.of(labels));
            return this;
        }

        public Builder labels(List<Label> labels) {
            task.labels(labels);
            return this;
        }

        public Builder entityTypes(String... types) {
            task.entityTypes(List.of(types));
            return this;
        }

        /** Labelled examples: few-shot training for classification, threshold calibration for matching. */
        public Builder examples(Dataset examples) {
            task.examples(examples);
            return this;
        }

        public Builder normalizer(TextNormalizer normalizer) {
            this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
            return this;
        }

        /** Records per model call; default 16. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            this.batchSizeSet = true;
            return this;
        }

        /**
         * Model calls (batches) in flight at once, across the pipeline's runs and whatever executor runs them;
         * default the number of processors, at most 4.
         */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
            }
            this.concurrency = concurrency;
            this.concurrencySet = true;
            return this;
        }

        public Builder progressListener(ProgressListener listener) {
            this.progressListener = listener;
            return this;
        }

        public Builder errorMode(ErrorMode mode) {
            this.errorMode = Objects.requireNonNull(mode, "errorMode");
            this.errorModeSet = true;
            return this;
        }

        /** Runs batches on the caller's executor instead of the pipeline's own threads. */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        public TaskPipeline build() {
            if (!taskTypeSet) {
                throw new IllegalArgumentException("taskType must be set, e.g. TaskType.TEXT_CLASSIFICATION");
            }
            return new TaskPipeline(this);
        }
    }
}
