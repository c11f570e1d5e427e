package io.openautoglm.train;

import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Evaluator;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.Models;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.ProgressListener;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TextNormalizer;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.spi.ModelProvider;
import io.openautoglm.train.internal.DistillationReport;
import io.openautoglm.train.internal.SeededSample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distils a large model into the embedded encoder, for any of the three tasks: the teacher answers a seeded sample
 * of the data (a label, a match decision, or the entities of each text), the student (bge-small-zh, fine-tuned by a
 * {@link LocalTrainer} as a classifier, a cross- or bi-encoder or a CRF tagger) learns those answers, and records the
 * teacher answered but the student never saw measure how often the student agrees with its teacher, and, where the
 * data has gold answers, how good each is, in the task's own metric (accuracy, or entity micro-F1 for NER).
 *
 * <pre>{@code
 * DistillationResult r = Distiller.builder()
 *         .teacher("glm-4-flash")
 *         .sample(2000)
 *         .student(LocalTrainer.builder().output(Path.of("models/distilled")).build())
 *         .build()
 *         .distill(spec);
 * System.out.println(r.agreement() + " " + r.studentGoldScore() + " " + r.teacherUsage().cost());
 * }</pre>
 *
 * <p>The teacher runs through {@link TaskPipeline} as {@code autoglm run} runs a spec: the spec's task (prompt and
 * labels), normaliser, batch size and concurrency, and its model options (key, base URL, budget, cache, journal),
 * with the teacher's name in place of the spec's model. When the teacher's provider takes a {@code journal} option
 * (GLM's does) and the spec gives none, the journal is {@code teacher.journal} in the model folder: every paid answer
 * is kept there, so a distillation run again into the same folder, or asked for a larger sample with the same seed,
 * pays only for records not yet answered. Records without an id are keyed by their position in the data, as
 * {@code autoglm run} keys them.
 *
 * <p>The teacher-labelled records are cut, in the order of the seeded draw, into a held-back share (default 0.2)
 * that only the report reads, a dev share (default 0.1) on which the student's epoch is chosen, and the rest to
 * train on. The dev share is its own, not a part of the held-back records, so that the agreement reported is not
 * measured on the records that chose the epoch. Gold answers are never trained or selected on: they only score the
 * held-back records. Records the teacher did not answer (an error, a refusal, an answer that is no label or no JSON, a
 * spent budget) are counted with their reason in the result and the report, and left out of every split.
 *
 * <p>The report is also written to {@code distillation-report.json} in the model folder and summed up in its
 * {@code MODEL_CARD.md}. Immutable; one distillation at a time per model folder (the journal is locked while in use).
 */
public final class Distiller {
    private static final Logger LOG = LoggerFactory.getLogger(Distiller.class);
    /** The journal's file in the model folder, when the spec names none. */
    public static final String JOURNAL_FILE = "teacher.journal";

    private final String teacher;
    private final int sample;
    private final double heldBackShare;
    private final double devShare;
    private final long seed;
    private final LocalTrainer student;
    private final ProgressListener teacherProgress;

    private Distiller(Builder b) {
        this.teacher = b.teacher;
        this.sample = b.sample;
        this.heldBackShare = b.heldBackShare;
        this.devShare = b.devShare;
        this.seed = b.seed;
        this.student = b.student;
        this.teacherProgress = b.teacherProgress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Distils on the spec's source; see {@link #distill(PipelineSpec, Dataset)}. */
    public DistillationResult distill(PipelineSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return distill(spec, spec.openSource());
    }

    /**
     * Has the teacher answer a sample of {@code data}, trains the student on its answers, and scores it on the
     * held-back records.
     *
     * @param spec the task, the teacher's options and run settings; its source and sink are not read
     * @param data the records to sample; gold answers, where present, only score the held-back records
     * @throws IllegalArgumentException for a task the student cannot learn, or a teacher option its provider refuses
     * @throws AutoGlmException         when the teacher labelled too few records to train on (nothing paid for is
     *                                  lost: the journal keeps it for the next run)
     */
    public DistillationResult distill(PipelineSpec spec, Dataset data) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(data, "data");
        TaskSpec task = spec.task();
        try {
            LocalTrainer.check(task); // before anything is paid for
        } catch (AutoGlmException e) {
            throw new IllegalArgumentException("task: " + e.getMessage(), e);
        }
        Path folder = student.output();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the model folder " + folder + ": " + e.getMessage(), e);
        }
        PipelineSpec teacherSpec = teacherSpec(spec, folder);
        String teacherName = teacherSpec.model().name();

        List<SeededSample.Drawn> drawn = SeededSample.draw(data, sample, seed);
        LOG.info("distillation: {} labels {} records drawn from {}", teacherName, drawn.size(), data.name());
        // each record as every model here reads it: normalised with its gold attached, so that a text whose gold
        // entities the normaliser would move stays as given (as the trainer and the pipeline keep it), and the
        // teacher's offsets, the student's and the gold all point into the same text
        List<TextRecord> prepared =
                drawn.stream().map(d -> spec.normalizer().normalize(d.record())).toList();
        PipelineResult taught;
        try (TaskPipeline p = TaskPipeline.builder()
                .spec(teacherSpec)
                .progressListener(teacherProgress)
                .build()) {
            // without their gold answers: a gold label outside the task's label set would fail its record before
            // the teacher sees it, and the teacher's run is no evaluation
            taught = p.run(Dataset.of(
                    data.name(), prepared.stream().map(Distiller::withoutGold).toList()));
        }

        List<Labelled> labelled = new ArrayList<>();
        List<DistillationResult.Failed> failures = new ArrayList<>();
        int unaligned = 0;
        for (RecordResult r : taught.results()) {
            int i = (int) r.index();
            if (r.succeeded()) {
                labelled.add(new Labelled(drawn.get(i).rank(), prepared.get(i), r.prediction()));
                if (r.prediction() instanceof Prediction.Entities e) {
                    unaligned += e.unaligned().size();
                }
            } else {
                failures.add(new DistillationResult.Failed(
                        r.id(), drawn.get(i).record().source(), r.failure()));
            }
        }
        if (unaligned > 0) {
            LOG.info(
                    "distillation: the teacher named {} mentions not found in their texts; the student learns the "
                            + "entities that were found",
                    unaligned);
        }
        labelled.sort(Comparator.comparingInt(Labelled::rank));
        int held = (int) Math.round(labelled.size() * heldBackShare);
        int dev = (int) Math.round(labelled.size() * devShare);
        int train = labelled.size() - held - dev;
        if (train < 1) {
            throw new AutoGlmException("the teacher " + teacherName + " labelled " + labelled.size() + " of "
                    + drawn.size() + " sampled records, which leaves none to train on"
                    + (failures.isEmpty() ? "; sample more records" : ": " + firstFailure(failures))
                    + (teacherSpec.model().options().containsKey("journal")
                            ? "; its answers are journaled, so running again pays only for the rest"
                            : ""));
        }
        List<Labelled> heldBack = labelled.subList(0, held);
        List<Labelled> devSet = labelled.subList(held, held + dev);
        List<Labelled> trainSet = labelled.subList(held + dev, labelled.size());
        LOG.info(
                "distillation: {} labelled, {} failed; training on {}, choosing the epoch on {}, holding back {}",
                labelled.size(),
                failures.size(),
                train,
                dev,
                held);

        TrainingResult training = student.train(
                task,
                taughtSet("teacher-labelled train of " + data.name(), trainSet),
                taughtSet("teacher-labelled dev of " + data.name(), devSet));

        Task scoring = Task.of(task);
        List<Prediction> studentAnswers = studentAnswers(task, spec, training.folder(), heldBack);
        List<DistillationResult.HeldBack> scored = new ArrayList<>();
        List<TextRecord> withGold = new ArrayList<>();
        List<Prediction> teacherOnGold = new ArrayList<>();
        List<Prediction> studentOnGold = new ArrayList<>();
        int goldSetAside = 0;
        for (int i = 0; i < heldBack.size(); i++) {
            Labelled l = heldBack.get(i);
            // a gold answer the task refuses (a label outside its set, no match decision, entities that do not fit
            // the text) scores nothing, rather than ending the run after the teacher was paid and the student trained
            Optional<String> refused = l.record().hasGold() ? scoring.validate(l.record()) : Optional.empty();
            if (refused.isPresent()) {
                goldSetAside++;
                LOG.warn(
                        "held-back record {}: its gold answer is not scored: {}",
                        l.record().id(),
                        refused.get());
            }
            Prediction gold = refused.isPresent() ? null : goldAnswer(task, l.record());
            scored.add(new DistillationResult.HeldBack(
                    l.record().id(), l.record().source(), gold, l.teacher(), studentAnswers.get(i)));
            if (gold != null) {
                withGold.add(l.record());
                teacherOnGold.add(l.teacher());
                studentOnGold.add(studentAnswers.get(i));
            }
        }
        Metrics agreement = Evaluator.evaluate(
                scoring,
                heldBack.stream().map(l -> taught(l.record(), l.teacher())).toList(),
                studentAnswers);
        DistillationResult result = new DistillationResult(
                training,
                teacherName,
                drawn.size(),
                labelled.size(),
                failures,
                train,
                dev,
                scored,
                agreement.primaryName(),
                agreement.evaluated() == 0 ? Double.NaN : agreement.primary(),
                withGold.size(),
                goldSetAside,
                withGold.isEmpty() ? null : Evaluator.evaluate(scoring, withGold, teacherOnGold),
                withGold.isEmpty() ? null : Evaluator.evaluate(scoring, withGold, studentOnGold),
                taught.usage(),
                training.folder().resolve(DistillationReport.FILE));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("data", data.name());
        settings.put("sample", sample);
        settings.put("heldBackShare", heldBackShare);
        settings.put("devShare", devShare);
        settings.put("seed", seed);
        settings.put("journal", teacherSpec.model().options().get("journal"));
        try {
            DistillationReport.write(result, settings);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the distillation report into " + folder + ": " + e.getMessage(), e);
        }
        return result;
    }

    /** A record the teacher answered, in its place in the draw, with its gold answer (if any) as read. */
    private record Labelled(int rank, TextRecord record, Prediction teacher) {}

    private static TextRecord withoutGold(TextRecord r) {
        return r.toBuilder().label(null).entities(null).build();
    }

    /**
     * The record with an answer as its gold: what the student trains on (the teacher's answer), and what its own
     * answers are scored against for agreement. A teacher's mentions it could not find in the text are no entities.
     */
    private static TextRecord taught(TextRecord r, Prediction answer) {
        TextRecord.Builder b = withoutGold(r).toBuilder();
        if (answer instanceof Prediction.Classification c) {
            return b.label(c.label()).build();
        }
        if (answer instanceof Prediction.Match m) {
            return b.label(m.matched() ? "1" : "0").build();
        }
        return b.entities(((Prediction.Entities) answer).entities()).build();
    }

    /** The record's gold answer in the form of a prediction with score 1, or null when it has none. */
    private static Prediction goldAnswer(TaskSpec task, TextRecord r) {
        return switch (task.type()) {
            case TEXT_CLASSIFICATION -> r.label() == null ? null : new Prediction.Classification(r.label(), 1, null);
            case SEMANTIC_MATCHING -> r.goldMatch() == null ? null : new Prediction.Match(r.goldMatch(), 1);
            case NAMED_ENTITY_RECOGNITION -> r.entities() == null ? null : new Prediction.Entities(r.entities());
        };
    }

    /**
     * The spec with the teacher as its model, no normaliser of its own (the records come normalised), the run
     * unlimited (the sample is the limit: a record limit would leave sampled records unread and unreported), and a
     * journal in the model folder where the provider takes one.
     */
    private PipelineSpec teacherSpec(PipelineSpec spec, Path folder) {
        String name = teacher != null ? teacher : spec.model().name();
        Map<String, String> options = new LinkedHashMap<>(spec.model().options());
        if (!options.containsKey("journal") && takesJournal(name)) {
            options.put("journal", folder.resolve(JOURNAL_FILE).toAbsolutePath().toString());
        }
        PipelineSpec.RunSettings r = spec.run();
        return spec.toBuilder()
                .model(new PipelineSpec.ModelRef(name, options))
                .run(new PipelineSpec.RunSettings(r.batchSize(), r.concurrency(), r.errorMode(), null))
                .normalizer(TextNormalizer.none()) // the records come normalised: see distill
                .build();
    }

    /**
     * Whether the one provider serving the name takes a {@code journal} option. Providers refuse unknown keys when
     * they check options (the SPI asks them to), which is how one without a journal shows; when none or several
     * serve the name, the pipeline's own error says so.
     */
    private static boolean takesJournal(String name) {
        List<ModelProvider> serving =
                Models.providers().stream().filter(p -> p.supports(name)).toList();
        if (serving.size() != 1) {
            return false;
        }
        try {
            serving.get(0).checkOptions(Map.of("journal", "teacher.journal"));
            return true;
        } catch (IllegalArgumentException noJournal) {
            LOG.info(
                    "the teacher's provider {} keeps no journal: a run again pays again",
                    serving.get(0).name());
            return false;
        }
    }

    /**
     * The student's answers on the held-back records (null where it failed), served from its folder on ONNX Runtime
     * as a user would serve it. The records carry the teacher's answer as their gold, so that no gold label outside
     * the task's set can fail one.
     */
    private List<Prediction> studentAnswers(TaskSpec task, PipelineSpec spec, Path folder, List<Labelled> heldBack) {
        if (heldBack.isEmpty()) {
            return List.of();
        }
        PipelineResult served;
        try (TaskPipeline p = TaskPipeline.builder()
                .task(task)
                .model("local:" + folder.toAbsolutePath())
                .modelOption("maxTokens", String.valueOf(student.maxLength()))
                .normalizer(spec.normalizer())
                .build()) {
            served = p.run(Dataset.of(
                    "held back",
                    heldBack.stream().map(l -> taught(l.record(), l.teacher())).toList()));
        }
        Prediction[] out = new Prediction[heldBack.size()];
        for (RecordResult r : served.results()) {
            if (r.succeeded()) {
                out[(int) r.index()] = r.prediction();
            } else {
                LOG.warn("the student failed on held-back record {}: {}", r.id(), r.failure());
            }
        }
        return java.util.Arrays.asList(out);
    }

    private static Dataset taughtSet(String name, List<Labelled> labelled) {
        return Dataset.of(
                name,
                labelled.stream().map(l -> taught(l.record(), l.teacher())).toList());
    }

    private static String firstFailure(List<DistillationResult.Failed> failures) {
        DistillationResult.Failed f = failures.get(0);
        return failures.size() + " failed, the first (" + f.id() + ") "
                + f.failure().kind() + ": " + f.failure().message();
    }

    /** Builds a {@link Distiller}; the sample size and the student are required. */
    public static final class Builder {
        private String teacher;
        private int sample;
        private double heldBackShare = 0.2;
        private double devShare = 0.1;
        private long seed = 42;
        private LocalTrainer student;
        private ProgressListener teacherProgress;

        private Builder() {}

        /** The teacher model, e.g. {@code glm-4-flash}; default the spec's model. The spec's model options stay. */
        public Builder teacher(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("teacher: expected a model name such as glm-4-flash, got " + value);
            }
            this.teacher = value;
            return this;
        }

        /** Records for the teacher to label (required), drawn with the seed; all of them when the data has fewer. */
        public Builder sample(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("sample: expected at least 1 record, got " + value);
            }
            this.sample = value;
            return this;
        }

        /** The share of teacher-labelled records held back to score the student (default 0.2). */
        public Builder heldBackShare(double value) {
            this.heldBackShare = share("heldBackShare", value);
            return this;
        }

        /** The share of teacher-labelled records on which the student's epoch is chosen (default 0.1; 0: the last). */
        public Builder devShare(double value) {
            this.devShare = share("devShare", value);
            return this;
        }

        /** Seeds the draw and the splits (default 42); the student's trainer has its own seed. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** The trainer of the student (required); its output is the model folder. */
        public Builder student(LocalTrainer value) {
            this.student = Objects.requireNonNull(value, "student");
            return this;
        }

        /** Hears the teacher's run after each batch, as {@code TaskPipeline}'s progress listener. */
        public Builder teacherProgress(ProgressListener value) {
            this.teacherProgress = value;
            return this;
        }

        public Distiller build() {
            if (sample == 0) {
                throw new IllegalStateException("sample: the number of records for the teacher to label is required");
            }
            if (student == null) {
                throw new IllegalStateException(
                        "student: a LocalTrainer, whose output is the model folder, is " + "required");
            }
            if (heldBackShare + devShare >= 1) {
                throw new IllegalArgumentException(
                        "heldBackShare + devShare: expected less than 1, got " + heldBackShare + " + " + devShare);
            }
            return new Distiller(this);
        }

        private static double share(String field, double value) {
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException(field + ": expected a share in [0, 1), got " + value);
            }
            return value;
        }
    }
}
