package io.openautoglm.train;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextNormalizer;
import io.openautoglm.core.TextRecord;
import io.openautoglm.local.LocalEmbeddings;
import io.openautoglm.local.LocalOptions;
import io.openautoglm.local.LogisticRegressionHead;
import io.openautoglm.local.internal.BioTags;
import io.openautoglm.local.internal.DjlCudaProbe;
import io.openautoglm.local.internal.ModelLocator;
import io.openautoglm.local.internal.TokenOffsets;
import io.openautoglm.train.internal.Batches;
import io.openautoglm.train.internal.BertEncoder;
import io.openautoglm.train.internal.BiEncoderHead;
import io.openautoglm.train.internal.ClassificationHead;
import io.openautoglm.train.internal.EncoderCheck;
import io.openautoglm.train.internal.FineTuning;
import io.openautoglm.train.internal.MatchingHead;
import io.openautoglm.train.internal.ModelFolder;
import io.openautoglm.train.internal.OnnxWeights;
import io.openautoglm.train.internal.SeededSample;
import io.openautoglm.train.internal.TaggingHead;
import io.openautoglm.train.internal.TaskHead;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Classification fine-tunes the whole encoder (less its word table with {@code trainWordEmbeddings(false)}) with a
 * linear head over its unit-normalised first-token state, the head first fitted to the frozen base model's sentence
 * vectors (a linear probe).
 * Named-entity recognition fine-tunes it with BIO tag scores from each token's state and a CRF over them (Viterbi
 * decoding); entities come back as character offsets of the text as given, full-width and mixed-script text
 * included. Matching fine-tunes a cross-encoder: both texts read together as {@code [CLS] a [SEP] b [SEP]} (in
 * either order while training), the classification head's probability of class 1 as the match score, and a pair
 * matching from the threshold best for dev, which the folder serves. With {@code biEncoder(true)} it fine-tunes a
 * bi-encoder instead: each text embedded alone, as the engine embeds texts, trained to rank matching pairs' cosine
 * similarity above non-matching ones' (CoSENT), and a pair matching from the cosine threshold best for dev.
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
    private final boolean int8;
    private final boolean trainWordEmbeddings;
    private final boolean averageWeights;
    private final boolean biEncoder;
    private final boolean probe;
    private final TextNormalizer normalizer;

    private static final Logger LOG = LoggerFactory.getLogger(LocalTrainer.class);

    /** What a classifier's run says of its head start, on the card and in the checkpoint's fingerprint. */
    private static final String PROBED =
            "the head started from a linear probe on the base model's frozen sentence vectors";

    /** What a classifier's run without the probe says of its head start. */
    private static final String UNPROBED = "the head started at random (seeded), without a linear probe";

    /** At most this many training texts are embedded for the probe: enough to place the head, cheap next to training. */
    private static final int PROBE_TEXTS = 20_000;
    /** Texts the probe embeds between looks at its share of the time limit. */
    private static final int PROBE_CHUNK = 256;

    /** Base models with a quantised graph of the same weights, which an int8 export re-quantises. */
    private static final Map<String, String> INT8_SIBLINGS = Map.of("local:bge-small-zh-fp32", "local:bge-small-zh");

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
        this.int8 = b.int8;
        this.trainWordEmbeddings = b.trainWordEmbeddings;
        this.averageWeights = b.averageWeights;
        this.biEncoder = b.biEncoder;
        this.probe = b.probe;
        this.normalizer = b.normalizer;
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
        check(task);
        if (biEncoder && task.type() != TaskType.SEMANTIC_MATCHING) {
            LOG.warn("biEncoder is for matching tasks; a {} task ignores it", task.type());
        }
        if (!probe && task.type() != TaskType.TEXT_CLASSIFICATION) {
            LOG.warn("probe(false) is for classification; a {} task's head starts at random anyway", task.type());
        }
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
            if (!base.temporary() && output.toAbsolutePath().normalize().equals(base.dir())) {
                throw new AutoGlmException("output " + output + " is the base model's own folder: a run writes a new"
                        + " folder and never overwrites the model it starts from");
            }
            if (!base.modelFile().getFileName().toString().endsWith(".onnx")) {
                throw new AutoGlmException("base model " + baseModel + " is not an ONNX model: training starts from "
                        + "the float32 ONNX graph, such as local:bge-small-zh-fp32");
            }
            BioTags tags = task.type() == TaskType.NAMED_ENTITY_RECOGNITION ? BioTags.of(task.entityTypes()) : null;
            List<Batches.Example> trainSet = examples(task, tags, train, tokenizer, "train");
            List<Batches.Example> devSet = examples(task, tags, dev, tokenizer, "dev");
            if (trainSet.isEmpty()) {
                throw new AutoGlmException("train: no records in " + train.name());
            }
            OnnxWeights weights = OnnxWeights.read(base.modelFile());
            BertEncoder encoder = EncoderCheck.settled(
                    BertEncoder.from(weights, manager, 0.1f), base.modelFile(), tokenizer, manager, baseModel);
            String preparation = null; // what the base was changed by before training: on the card and fingerprint
            // a bi-encoder reads each text as a text of its own: token type 1 stays as the base has it
            double[] segments =
                    task.type() == TaskType.SEMANTIC_MATCHING && !biEncoder ? encoder.seedSecondSegment() : null;
            if (segments != null) {
                preparation = String.format(
                        Locale.ROOT,
                        "token type 1 (a pair's second text) started as a copy of token type 0: its norm in the"
                                + " base, %.2f against %.2f, says it was never trained",
                        segments[1],
                        segments[0]);
                LOG.info("{}: {}; the copy is trained with the rest", baseModel, preparation);
            }
            Path checkpoint = output.resolve("checkpoint");
            TaskHead head = switch (task.type()) {
                case NAMED_ENTITY_RECOGNITION -> new TaggingHead(manager, encoder.hidden(), tags, seed);
                case SEMANTIC_MATCHING ->
                    biEncoder ? new BiEncoderHead() : new MatchingHead(manager, encoder.hidden(), seed);
                case TEXT_CLASSIFICATION -> new ClassificationHead(manager, encoder.hidden(), task.labelNames(), seed);
            };
            if (head instanceof ClassificationHead classifier) {
                if (FineTuning.resumes(checkpoint)) {
                    LOG.info("Resuming: the head comes from the checkpoint, so it is not probed again");
                } else if (!probe) {
                    LOG.info("The head starts at random (seeded): no probe asked for");
                } else {
                    probe(classifier, task, train);
                }
                // for the card and the fingerprint: a checkpoint of a run started otherwise is refused
                preparation = probe ? PROBED : UNPROBED;
            }
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
                            fingerprint(trainSet, devSet, train, dev, preparation),
                            trainWordEmbeddings,
                            averageWeights),
                    checkpoint);
            FineTuning.Outcome outcome = run.run(trainSet, devSet, manager);
            ModelFolder.writeModel(output, base, weights, encoder, head, task, maxLength);
            double[] asServed = int8 && !devSet.isEmpty() ? exportInt8(base, encoder, task, dev) : null;
            if (asServed == null) {
                ModelFolder.deleteInt8(output); // an earlier run's export would serve weights this run replaced
            }
            double int8Dev = asServed == null ? Double.NaN : asServed[1];
            ModelFolder.writeReport(
                    output,
                    head,
                    task,
                    outcome,
                    new ModelFolder.Card(
                            baseModel,
                            preparation,
                            train.name(),
                            trainSet.size(),
                            dev.name(),
                            devSet.size(),
                            seed,
                            epochs,
                            batchSize,
                            learningRate,
                            maxLength,
                            trainWordEmbeddings,
                            averageWeights,
                            (System.nanoTime() - started) / 1e9,
                            "train " + Batches.fingerprint(trainSet) + ", dev " + Batches.fingerprint(devSet),
                            versions(manager)),
                    asServed);
            return new TrainingResult(
                    output,
                    outcome.history(),
                    outcome.bestEpoch(),
                    outcome.bestDev(),
                    outcome.steps(),
                    outcome.stoppedEarly(),
                    (System.nanoTime() - started) / 1e9,
                    head.metric(),
                    int8Dev);
        } catch (IOException e) {
            throw new UncheckedIOException("training into " + output + " failed: " + e.getMessage(), e);
        } finally {
            base.release();
        }
    }

    /**
     * Writes the int8 export beside the float32 model and scores both on dev as the local engine serves them. The
     * export is a bonus: when it cannot be made (no int8 graph of the base, an unreadable one) the run keeps its
     * float32 model and says why.
     *
     * @return the float32 and int8 dev metrics as served, or {@code null} without an export
     */
    private double[] exportInt8(ModelLocator.Located base, BertEncoder encoder, TaskSpec task, Dataset dev) {
        String sibling = int8Sibling(base);
        if (sibling == null) {
            LOG.info(
                    "No int8 export: {} is neither a base with a known int8 graph ({}) nor a folder with an int8/"
                            + " export (a run with int8 on writes one)",
                    baseModel,
                    INT8_SIBLINGS.keySet());
            return null;
        }
        ModelLocator.Located int8Base = ModelLocator.locate(sibling, LocalTrainer.class.getClassLoader());
        try {
            ModelFolder.writeInt8(output, OnnxWeights.read(int8Base.modelFile()), encoder);
            Metrics float32 = served(task, dev, output);
            double[] scores = {
                float32.primary(),
                served(task, dev, output.resolve(ModelFolder.INT8)).primary()
            };
            LOG.info(
                    "As served on dev: {} {} in float32, {} in int8 ({})",
                    float32.primaryName(),
                    String.format("%.4f", scores[0]),
                    String.format("%.4f", scores[1]),
                    output.resolve(ModelFolder.INT8));
            return scores;
        } catch (IOException | RuntimeException e) {
            LOG.warn("No int8 export: {}", e.getMessage());
            return null;
        } finally {
            int8Base.release();
        }
    }

    /**
     * The int8 graph whose initializers take the tuned weights: the shipped sibling of a known base, or the
     * {@code int8/} export inside a folder this trainer wrote, so that a run started from a tuned folder exports int8
     * too. A known model is never a folder, even where one of its name sits in the working directory.
     */
    private static String int8Sibling(ModelLocator.Located base) {
        String known = INT8_SIBLINGS.get(base.modelName());
        if (known != null || base.temporary()) {
            return known;
        }
        Path export = base.dir().resolve(ModelFolder.INT8);
        return Files.isRegularFile(export.resolve("model.onnx")) ? ModelLocator.PREFIX + export : null;
    }

    /** The dev metrics of a written folder as the local engine serves it, reading texts as long as in training. */
    private Metrics served(TaskSpec task, Dataset dev, Path folder) {
        try (TaskPipeline p = TaskPipeline.builder()
                .task(task)
                .model("local:" + folder)
                .modelOption("maxTokens", String.valueOf(maxLength))
                .build()) {
            return p.run(dev).metrics().orElseThrow();
        }
    }

    /** What makes a run the same run, for a checkpoint: a checkpoint of another run is refused, not continued. */
    private Map<String, String> fingerprint(
            List<Batches.Example> trainSet,
            List<Batches.Example> devSet,
            Dataset train,
            Dataset dev,
            String preparation) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("base model", baseModel);
        // a checkpoint of a run that prepared the base otherwise (or before preparing it) holds other weights
        f.put("base model prepared", preparation == null ? "as given" : preparation);
        f.put("train data", train.name() + " (" + trainSet.size() + " records, " + Batches.fingerprint(trainSet) + ")");
        f.put("dev data", dev.name() + " (" + devSet.size() + " records, " + Batches.fingerprint(devSet) + ")");
        if (trainSet.stream().anyMatch(e -> e.second() != null)) {
            f.put("pairs", "read apart (a bi-encoder)");
        }
        if (trainSet.stream().anyMatch(e -> e.mirror() != null)) {
            // a run that read pairs in their given order only drew other batches
            f.put("pair order", "either, drawn per epoch");
        }
        f.put(
                "settings",
                "epochs " + epochs + ", batch " + batchSize + ", learning rate " + learningRate + ", warm-up "
                        + warmupRatio + ", weight decay " + weightDecay + ", clip " + maxGradNorm + ", max length "
                        + maxLength
                        + ", seed " + seed + (trainWordEmbeddings ? "" : ", word embeddings frozen")
                        + (averageWeights ? ", weights averaged" : ""));
        return f;
    }

    /**
     * Fits a classifier's new head on the base model's frozen sentence vectors before any encoder weight moves
     * (linear probing, then fine-tuning: Kumar et al., 2022). A random head's first gradients would pull the
     * pretrained features towards its own noise; a fitted one asks the encoder only for what it lacks. The vectors
     * come from the base model on ONNX Runtime, as the local engine serves it: forward only, several times faster
     * than a PyTorch pass. It reads at most 20,000 training texts, and under a time limit stops reading at a tenth of
     * it. A cross-encoder's head is not probed: on AFQMC a probe of its pairs' first-token vectors (token type 1
     * seeded) fitted the training pairs to 0.70, the majority share, and the run started from it scored no better
     * (docs/benchmarks.md).
     */
    private void probe(ClassificationHead head, TaskSpec task, Dataset train) {
        long started = System.nanoTime();
        // in the draw's order, not the file's: a probe cut short by its time must not read a file sorted by label
        List<TextRecord> records = SeededSample.draw(train.map(normalizer::normalize), PROBE_TEXTS, seed).stream()
                .sorted(Comparator.comparingInt(SeededSample.Drawn::rank))
                .map(SeededSample.Drawn::record)
                .toList();
        List<String> names = task.labelNames();
        // a tenth of the time limit at most: a short run on a large training set must not spend its time here
        long budget = maxTime == null ? Long.MAX_VALUE : started + maxTime.toNanos() / 10;
        List<float[]> vectors = new ArrayList<>();
        // the first token's vector, as the head reads it, even where the model's own pooling averages the tokens
        try (LocalEmbeddings base = LocalEmbeddings.open(
                baseModel,
                LocalOptions.builder()
                        .maxTokens(maxLength)
                        .pooling("cls")
                        .cacheSize(0)
                        .build())) {
            for (int from = 0;
                    from < records.size() && (from == 0 || System.nanoTime() < budget);
                    from += PROBE_CHUNK) {
                List<TextRecord> chunk = records.subList(from, Math.min(records.size(), from + PROBE_CHUNK));
                vectors.addAll(
                        List.of(base.embed(chunk.stream().map(TextRecord::text).toList())));
            }
        }
        if (vectors.size() < records.size()) {
            LOG.info(
                    "The probe read {} of {} training texts in a tenth of the time limit",
                    vectors.size(),
                    records.size());
        }
        float[][] x = vectors.toArray(float[][]::new);
        int[] y = records.subList(0, x.length).stream()
                .mapToInt(r -> names.indexOf(r.label()))
                .toArray();
        // on the unit vectors as the head reads them (centred, not scaled), unpenalised, Adam's step budget the only
        // brake: on ChnSentiCorp weights of the measured ad-hoc probe's size (norm 39, training accuracy 0.90). A
        // standardised fit unfolds to twice that, its rarely varying dimensions weighing most, and the one run started
        // from it saw its loss rise to 0.50 over steps 101-200 (the ad-hoc probe's run: 0.27): features that move in
        // fine-tuning should not carry the largest weights. A small separable training set may still start the head
        // over-confident; the fine-tuning's own clip and warm-up bound what that costs
        LogisticRegressionHead fitted = LogisticRegressionHead.trainer()
                .standardise(false)
                .l2(0)
                .seed(seed)
                .train(x, y, names.size());
        head.start(fitted.linear());
        int right = 0;
        for (int i = 0; i < x.length; i++) {
            right += fitted.predict(x[i]) == y[i] ? 1 : 0;
        }
        LOG.info(
                "The head starts from a linear probe of {} on {} training texts (their accuracy {}), {} s",
                baseModel,
                x.length,
                String.format(Locale.ROOT, "%.4f", (double) right / x.length),
                String.format(Locale.ROOT, "%.0f", (System.nanoTime() - started) / 1e9));
    }

    /** The SDK's, DJL's and the engine's versions, for the model card. */
    private static String versions(NDManager manager) {
        String sdk = LocalTrainer.class.getPackage().getImplementationVersion();
        return "Open-AutoGLM " + (sdk != null ? sdk : "(development build)") + ", DJL "
                + ai.djl.engine.Engine.getDjlVersion() + ", "
                + manager.getEngine().getEngineName() + " "
                + manager.getEngine().getVersion();
    }

    /** Refuses a task this trainer cannot train, before anything is loaded. */
    static void check(TaskSpec task) {
        switch (task.type()) {
            case TEXT_CLASSIFICATION -> {
                if (task.labelNames().size() < 2) {
                    throw new AutoGlmException("task.labels: a classifier needs at least two labels");
                }
            }
            case NAMED_ENTITY_RECOGNITION -> {
                if (task.entityTypes().isEmpty()) {
                    throw new AutoGlmException("task.entityTypes: a tagger needs at least one entity type");
                }
            }
            case SEMANTIC_MATCHING -> {
                // the pairs are checked as they are read, together or apart
            }
        }
    }

    private List<Batches.Example> examples(
            TaskSpec task, BioTags tags, Dataset given, HuggingFaceTokenizer tokenizer, String role) {
        // the texts as the pipeline will hand them to the served model (NER with gold offsets keeps its raw text)
        Dataset data = given.map(normalizer::normalize);
        return switch (task.type()) {
            case TEXT_CLASSIFICATION -> classified(Task.of(task), data, tokenizer, role);
            case NAMED_ENTITY_RECOGNITION -> tagged(Task.of(task), tags, data, tokenizer, role);
            case SEMANTIC_MATCHING -> paired(Task.of(task), data, tokenizer, role, biEncoder);
        };
    }

    /**
     * Pairs read together, {@code [CLS] a [SEP] b [SEP]}, as a cross-encoder reads them, or {@code apart}, each text
     * as the engine embeds a text; class 1 is a match.
     */
    private static List<Batches.Example> paired(
            Task task, Dataset data, HuggingFaceTokenizer tokenizer, String role, boolean apart) {
        List<Batches.Example> out = new ArrayList<>();
        for (TextRecord r : data.toList()) {
            String where = where(r, role, task);
            if (r.textB() == null) {
                throw new AutoGlmException(where + " has no second text: a matching pair needs both");
            }
            Boolean match = r.goldMatch();
            if (match == null) {
                throw new AutoGlmException(where
                        + (r.label() == null
                                ? " has no label"
                                : " has the label '" + r.label() + "', not a match decision (1 or 0)"));
            }
            if (apart) { // symmetric already: the cosine of two vectors does not depend on their order
                out.add(Batches.Example.apart(
                        tokenizer.encode(r.text()).getIds(),
                        tokenizer.encode(r.textB()).getIds(),
                        match ? 1 : 0));
                continue;
            }
            Encoding e = tokenizer.encode(r.text(), r.textB());
            // a match is symmetric: training reads each pair in either order, drawn anew every epoch
            Batches.Example mirror = null;
            if (role.equals("train")) {
                Encoding m = tokenizer.encode(r.textB(), r.text());
                mirror = new Batches.Example(m.getIds(), m.getTypeIds(), match ? 1 : 0, null);
            }
            out.add(new Batches.Example(e.getIds(), e.getTypeIds(), match ? 1 : 0, null, mirror));
        }
        return out;
    }

    private static List<Batches.Example> classified(
            Task task, Dataset data, HuggingFaceTokenizer tokenizer, String role) {
        List<String> classes = task.spec().labelNames();
        List<Batches.Example> out = new ArrayList<>();
        for (TextRecord r : data.toList()) {
            String where = where(r, role, task);
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

    /** Records with gold entities as BIO-tagged tokens; the text is folded as the served model folds it. */
    private static List<Batches.Example> tagged(
            Task task, BioTags tags, Dataset data, HuggingFaceTokenizer tokenizer, String role) {
        List<Batches.Example> out = new ArrayList<>();
        long given = 0;
        long kept = 0;
        for (TextRecord r : data.toList()) {
            String where = where(r, role, task);
            if (r.entities() == null) {
                throw new AutoGlmException(where + " has no gold entities (an empty list marks a text without any)");
            }
            TokenOffsets tokens = TokenOffsets.encode(tokenizer, r.text());
            int[] tagIds;
            try {
                tagIds = tags.encode(r.entities(), tokens);
            } catch (IllegalArgumentException e) {
                throw new AutoGlmException(where + ": " + e.getMessage(), e);
            }
            out.add(new Batches.Example(tokens.ids(), new long[tokens.size()], -1, tagIds));
            given += r.entities().size();
            kept += Arrays.stream(tagIds).filter(t -> t % 2 == 1).count(); // one B- tag per entity kept
        }
        if (kept < given) {
            // BIO holds no overlap, and entities past the truncation have no tokens: say how many of them went
            LOG.warn(
                    "{}: {} of {} gold entities could not be tagged (overlapping another, or beyond {} tokens)",
                    data.name(),
                    given - kept,
                    given,
                    tokenizer.getMaxLength());
        }
        return out;
    }

    /**
     * Names a record for an error, and refuses one the loader could not read or the task would not run (entity
     * offsets outside the text or not matching its mention, a pair without its second text): serving refuses those
     * too, so training on them would learn what is never served.
     */
    private static String where(TextRecord r, String role, Task task) {
        String where = role + " record " + (r.source() != null ? r.source() : r.id());
        if (!r.isValid()) {
            throw new AutoGlmException(where + " is invalid: " + r.problem());
        }
        task.validate(r).ifPresent(problem -> {
            throw new AutoGlmException(where + ": " + problem);
        });
        return where;
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
        private boolean int8 = true;
        private boolean trainWordEmbeddings = true;
        private boolean averageWeights;
        private boolean biEncoder;
        private boolean probe = true;
        private TextNormalizer normalizer = TextNormalizer.defaults();

        private Builder() {}

        /**
         * The float32 ONNX model to start from (default {@code local:bge-small-zh-fp32}), or a folder of one, such as a
         * folder this trainer wrote: a run can go on from a tuned model (a cross-encoder from a bi-encoder's weights).
         */
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

        /**
         * A time limit: the run stops at the end of the batch that passes it, scores that epoch, and keeps its best
         * epoch so far. It also shapes the learning rate: after warm-up the rate decays to zero at the limit when the
         * limit comes before the last step, so a run near its limit depends on the machine's speed as well as on its
         * seed. A resumed run has a limit of its own, counted from its start. A classifier's head is first fitted to
         * the base model's vectors of the training texts (counted in the limit), which stops reading texts at a tenth
         * of it.
         */
        public Builder maxTime(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("maxTime: expected a positive duration, got " + value);
            }
            this.maxTime = value;
            return this;
        }

        /**
         * Whether to export an int8 model too (default true): the tuned weights re-quantised into the base model's
         * shipped int8 graph, in the folder's {@code int8/} (served as {@code local:DIR/int8}), scored on dev as
         * served. Only for a base with a known int8 graph ({@code local:bge-small-zh-fp32}).
         */
        public Builder int8(boolean value) {
            this.int8 = value;
            return this;
        }

        /**
         * Whether the word-embedding table is trained with the rest of the encoder (default true). Frozen, a step
         * costs about a tenth less on a CPU (1.26 against 1.12 s for 16 texts of 112 tokens on 2 cores): in
         * bge-small-zh the table holds 11 of the 24 million parameters, and its dense gradient and AdamW update are
         * paid in full every step although a batch reads a few hundred of its 21,128 rows. Position and segment
         * tables, LayerNorms and every layer still train.
         */
        public Builder trainWordEmbeddings(boolean value) {
            this.trainWordEmbeddings = value;
            return this;
        }

        /**
         * Whether the model is a moving average of the weights, its mean age half an epoch of steps, rather than the
         * last step's weights (default false). Each epoch's dev score, early stopping and the written folder are
         * then the average's; the log gives the last step's dev score beside it. Training itself is unchanged; dev is
         * scored twice. It did not help on ChnSentiCorp or AFQMC (docs/benchmarks.md), hence off by default.
         */
        public Builder averageWeights(boolean value) {
            this.averageWeights = value;
            return this;
        }

        /**
         * Whether a matching task is fine-tuned as a bi-encoder (default false: a cross-encoder). A bi-encoder embeds
         * each text alone, as the engine embeds texts, and learns to rank the cosine similarity of matching pairs
         * above that of non-matching ones (CoSENT); a pair then matches from the cosine threshold best for dev, which
         * the folder serves as the untrained engine serves its own. A sentence encoder such as bge-small-zh was
         * pretrained for exactly that comparison, which a cross-encoder's pair input leaves behind: its untrained
         * cosine ranks AFQMC's dev pairs better than any cross-encoder trained from it, and tuned as a bi-encoder it
         * scores AFQMC dev 0.7115 where the best cross-encoder scored 0.6970 (docs/benchmarks.md). The folder also
         * embeds texts, as a sentence encoder tuned on the pairs. A cross-encoder reads the two texts
         * together and can weigh one against the other word by word; it suits encoders pretrained on pairs. Ignored
         * for other tasks.
         */
        public Builder biEncoder(boolean value) {
            this.biEncoder = value;
            return this;
        }

        /**
         * Whether a classifier's head starts from a linear probe (default true): fitted to the base model's frozen
         * sentence vectors of the training texts before any encoder weight moves, so that the first gradients ask
         * the encoder for what the probe lacks rather than for a random head's noise. Off, the head starts at random
         * (seeded), as in the textbook fine-tuning recipe, and the run saves the probe's time (132 s of ChnSentiCorp's
         * 30 minutes). On ChnSentiCorp a run started from a probe scored 0.9214 on test against 0.9046 for the same
         * build started at random, one seed each: within the noise of single runs, whose test scores moved by two
         * points with the seed alone (docs/benchmarks.md). Cross-encoders and taggers always start at random (the
         * setting is ignored, with a note in the log); a bi-encoder has no head.
         */
        public Builder probe(boolean value) {
            this.probe = value;
            return this;
        }

        /**
         * How texts are normalised before training (default {@link TextNormalizer#defaults()}, as a pipeline does):
         * give the spec's normaliser, so that the model learns the texts it will be served.
         */
        public Builder normalizer(TextNormalizer value) {
            this.normalizer = Objects.requireNonNull(value, "normalizer");
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
