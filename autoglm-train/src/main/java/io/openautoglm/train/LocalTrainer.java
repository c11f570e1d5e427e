package io.openautoglm.train;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.local.internal.DjlCudaProbe;
import io.openautoglm.local.internal.ModelLocator;
import io.openautoglm.train.internal.Batches;
import io.openautoglm.train.internal.BertEncoder;
import io.openautoglm.train.internal.ClassificationHead;
import io.openautoglm.train.internal.EncoderCheck;
import io.openautoglm.train.internal.FineTuning;
import io.openautoglm.train.internal.ModelFolder;
import io.openautoglm.train.internal.OnnxWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fine-tunes the embedded encoder for a task, on DJL's PyTorch engine, and writes a model folder that
 * {@code local:FOLDER} serves through {@code TaskPipeline} on ONNX Runtime alone.
 *
 * <pre>{@code
 * TrainingResult r = LocalTrainer.builder()
 *         .output(Path.of("models/sentiment"))
 *         .epochs(3)
 *         .build()
 *         .train(task, train, dev);
 * TaskPipeline p = TaskPipeline.builder().task(task).model("local:" + r.folder()).build();
 * }</pre>
 *
 * <p>Classification fine-tunes the whole encoder with a linear head over its unit-normalised first-token state.
 * The folder holds {@code model.onnx} (the base graph with the tuned weights), {@code tokenizer.json},
 * {@code autoglm-head.json} (the task and its head), {@code training-report.json}, {@code MODEL_CARD.md} and, with
 * XChart on the class path, {@code curves.png}. A {@code checkpoint/} beside them lets a killed run resume after its
 * last finished epoch: train again with the same output folder.
 *
 * <p>Not thread-safe; one run at a time per trainer.
 */
public final class LocalTrainer {
    private final String baseModel;
    private final Path output;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final float warmupRatio;
    private final float weightDecay;
    private final float maxGradNorm;
    private final int maxLength;
    private final long seed;
    private final int patience;
    private final Duration maxTime;
    private final TrainingListener listener;

    private LocalTrainer(Builder b) {
        this.baseModel = b.baseModel;
        this.output = b.output;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.warmupRatio = b.warmupRatio;
        this.weightDecay = b.weightDecay;
        this.maxGradNorm = b.maxGradNorm;
        this.maxLength = b.maxLength;
        this.seed = b.seed;
        this.patience = b.patience;
        this.maxTime = b.maxTime;
        this.listener = b.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The model folder this trainer writes: a distillation keeps its journal and report there too. */
    Path output() {
        return output;
    }

    /** Tokens per text in training, which the student is then served with. */
    int maxLength() {
        return maxLength;
    }

    /**
     * Trains on {@code train}, keeps the epoch that scores best on {@code dev}, and writes the model folder.
     *
     * @param dev may be empty: then every epoch runs and the last one is kept
     * @throws AutoGlmException naming the record (source and line) whose gold label is missing or unknown, or a
     *                          task this trainer cannot train
     */
    public TrainingResult train(TaskSpec task, Dataset train, Dataset dev) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(dev, "dev");
        List<String> classes = classes(task);
        long started = System.nanoTime();
        // a CPU run: DJL's CUDA probe would only log warnings on a machine without a GPU
        DjlCudaProbe.keepOffUnlessNeeded(LocalTrainer.class.getClassLoader(), false);
        ModelLocator.Located base = ModelLocator.locate(baseModel, LocalTrainer.class.getClassLoader());
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                        .optTokenizerPath(base.tokenizerFile())
                        .optMaxLength(maxLength)
                        .optTruncation(true)
                        .optPadding(false)
                        .build();
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            if (!base.modelFile().getFileName().toString().endsWith(".onnx")) {
                throw new AutoGlmException("base model " + baseModel + " is not an ONNX model: training starts from "
                        + "the float32 ONNX graph, such as local:bge-small-zh-fp32");
            }
            List<Batches.Example> trainSet = examples(task, classes, train, tokenizer, "train");
            List<Batches.Example> devSet = examples(task, classes, dev, tokenizer, "dev");
            if (trainSet.isEmpty()) {
                throw new AutoGlmException("train: no records in " + train.name());
            }
            OnnxWeights weights = OnnxWeights.read(base.modelFile());
            BertEncoder encoder = EncoderCheck.settled(
                    BertEncoder.from(weights, manager, 0.1f), base.modelFile(), tokenizer, manager, baseModel);
            ClassificationHead head = new ClassificationHead(manager, encoder.hidden(), classes.size(), seed);
            Files.createDirectories(output);
            long deadline = maxTime == null ? Long.MAX_VALUE : started + maxTime.toNanos();
            FineTuning run = new FineTuning(
                    encoder,
                    head,
                    new FineTuning.Settings(
                            epochs,
                            batchSize,
                            learningRate,
                            warmupRatio,
                            weightDecay,
                            maxGradNorm,
                            seed,
                            patience,
                            deadline,
                            20,
                            listener,
                            fingerprint(trainSet, devSet, train, dev)),
                    output.resolve("checkpoint"));
            FineTuning.Outcome outcome = run.run(trainSet, devSet, manager);
            ModelFolder.write(
                    output,
                    base,
                    weights,
                    encoder,
                    head,
                    task,
                    classes,
                    outcome,
                    new ModelFolder.Card(
                            baseModel,
                            train.name(),
                            trainSet.size(),
                            dev.name(),
                            devSet.size(),
                            seed,
                            epochs,
                            batchSize,
                            learningRate,
                            maxLength,
                            (System.nanoTime() - started) / 1e9,
                            "train " + Batches.fingerprint(trainSet) + ", dev " + Batches.fingerprint(devSet),
                            versions(manager)));
            return new TrainingResult(
                    output,
                    outcome.history(),
                    outcome.bestEpoch(),
                    outcome.bestDev(),
                    outcome.steps(),
                    outcome.stoppedEarly(),
                    (System.nanoTime() - started) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException("training into " + output + " failed: " + e.getMessage(), e);
        } finally {
            base.release();
        }
    }

    /** What makes a run the same run, for a checkpoint: a checkpoint of another run is refused, not continued. */
    private Map<String, String> fingerprint(
            List<Batches.Example> trainSet, List<Batches.Example> devSet, Dataset train, Dataset dev) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("base model", baseModel);
        f.put("train data", train.name() + " (" + trainSet.size() + " records, " + Batches.fingerprint(trainSet) + ")");
        f.put("dev data", dev.name() + " (" + devSet.size() + " records, " + Batches.fingerprint(devSet) + ")");
        f.put(
                "settings",
                "epochs " + epochs + ", batch " + batchSize + ", learning rate " + learningRate + ", warm-up "
                        + warmupRatio + ", weight decay " + weightDecay + ", clip " + maxGradNorm + ", max length "
                        + maxLength
                        + ", seed " + seed);
        return f;
    }

    /** The SDK's, DJL's and the engine's versions, for the model card. */
    private static String versions(NDManager manager) {
        String sdk = LocalTrainer.class.getPackage().getImplementationVersion();
        return "Open-AutoGLM " + (sdk != null ? sdk : "(development build)") + ", DJL "
                + ai.djl.engine.Engine.getDjlVersion() + ", "
                + manager.getEngine().getEngineName() + " "
                + manager.getEngine().getVersion();
    }

    /** The class names the head predicts: the task's labels, or no/yes for a pair. */
    static List<String> classes(TaskSpec task) {
        if (task.type() == TaskType.TEXT_CLASSIFICATION) {
            if (task.labelNames().size() < 2) {
                throw new AutoGlmException("task.labels: a classifier needs at least two labels");
            }
            return task.labelNames();
        }
        // Pairs already tokenise as [CLS] a [SEP] b [SEP]; serving a cross-encoder needs pair encoding in the local
        // engine first, so matching is refused rather than trained into a folder nothing serves as trained.
        throw new AutoGlmException(
                "LocalTrainer trains TEXT_CLASSIFICATION tasks; " + task.type() + " is not supported yet");
    }

    private static List<Batches.Example> examples(
            TaskSpec task, List<String> classes, Dataset data, HuggingFaceTokenizer tokenizer, String role) {
        List<Batches.Example> out = new ArrayList<>();
        for (TextRecord r : data.toList()) {
            String where = role + " record " + (r.source() != null ? r.source() : r.id());
            if (!r.isValid()) {
                throw new AutoGlmException(where + " is invalid: " + r.problem());
            }
            int label = r.label() == null ? -1 : classes.indexOf(r.label());
            if (label < 0) {
                throw new AutoGlmException(where
                        + (r.label() == null
                                ? " has no label"
                                : " has the label '" + r.label() + "', not one of " + classes));
            }
            Encoding e = tokenizer.encode(r.text());
            out.add(new Batches.Example(e.getIds(), e.getTypeIds(), label, null));
        }
        return out;
    }

    /** Builds a {@link LocalTrainer}; the defaults are BERT fine-tuning's usual ones. */
    public static final class Builder {
        private String baseModel = "local:bge-small-zh-fp32";
        private Path output;
        private int epochs = 3;
        private int batchSize = 16;
        private float learningRate = 5e-5f;
        private float warmupRatio = 0.1f;
        private float weightDecay = 0.01f;
        private float maxGradNorm = 1f;
        private int maxLength = 256;
        private long seed = 42;
        private int patience = 1;
        private Duration maxTime;
        private TrainingListener listener;

        private Builder() {}

        /** The float32 ONNX model to start from (default {@code local:bge-small-zh-fp32}), or a folder of one. */
        public Builder baseModel(String value) {
            this.baseModel = Objects.requireNonNull(value, "baseModel");
            return this;
        }

        /** The model folder to write (required); a {@code checkpoint/} in it resumes an interrupted run. */
        public Builder output(Path value) {
            this.output = Objects.requireNonNull(value, "output");
            return this;
        }

        public Builder epochs(int value) {
            this.epochs = atLeast("epochs", value, 1);
            return this;
        }

        public Builder batchSize(int value) {
            this.batchSize = atLeast("batchSize", value, 1);
            return this;
        }

        /** The encoder's peak learning rate (default 5e-5); the new head learns 20 times faster. */
        public Builder learningRate(double value) {
            if (!(value > 0 && value < 1)) {
                throw new IllegalArgumentException("learningRate: expected a number between 0 and 1, got " + value);
            }
            this.learningRate = (float) value;
            return this;
        }

        /** The share of steps spent warming up linearly (default 0.1); the rest decay linearly to zero. */
        public Builder warmupRatio(double value) {
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException("warmupRatio: expected a number in [0, 1), got " + value);
            }
            this.warmupRatio = (float) value;
            return this;
        }

        /** Decoupled weight decay (default 0.01), not applied to biases and LayerNorm. */
        public Builder weightDecay(double value) {
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException("weightDecay: expected a number in [0, 1), got " + value);
            }
            this.weightDecay = (float) value;
            return this;
        }

        /** The global gradient norm, encoder and head together, is clipped to this (default 1; 0 for no clipping). */
        public Builder maxGradNorm(double value) {
            if (!(value >= 0)) {
                throw new IllegalArgumentException("maxGradNorm: expected 0 or more, got " + value);
            }
            this.maxGradNorm = (float) value;
            return this;
        }

        /**
         * Tokens per text at most (default 256, the local engine's {@code maxTokens}, so that the served model reads
         * what it was trained on); longer texts are truncated.
         */
        public Builder maxLength(int value) {
            this.maxLength = atLeast("maxLength", value, 8);
            return this;
        }

        /** Seeds the shuffling, the head's initial weights and dropout (default 42). */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Epochs without a better dev score before stopping (default 1). */
        public Builder patience(int value) {
            this.patience = atLeast("patience", value, 1);
            return this;
        }

        /** A time limit: the run stops at the end of the batch that passes it, and keeps its best epoch so far. */
        public Builder maxTime(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("maxTime: expected a positive duration, got " + value);
            }
            this.maxTime = value;
            return this;
        }

        public Builder listener(TrainingListener value) {
            this.listener = value;
            return this;
        }

        public LocalTrainer build() {
            if (output == null) {
                throw new IllegalStateException("output: the model folder to write is required");
            }
            return new LocalTrainer(this);
        }

        private static int atLeast(String field, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(field + ": expected at least " + min + ", got " + value);
            }
            return value;
        }
    }
}
