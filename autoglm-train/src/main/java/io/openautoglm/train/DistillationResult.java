package io.openautoglm.train;

import io.openautoglm.core.Failure;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a distillation produced: the student's model folder and how it compares with its teacher on records held
 * back from its training. Every sampled record is accounted for: {@code sampled == labelled + failures.size()}, and
 * {@code labelled == trainRecords + devRecords + heldBack.size()}.
 *
 * <p>The scores are the task's own ({@link Metrics#primary()}, named by {@code metric}): accuracy for classification
 * and matching, entity micro-F1 for NER. Agreement is the student's score with the teacher's answers taken as gold.
 * A held-back record the student failed on is left out of the scores, as a pipeline leaves failures out of its
 * metrics, and is listed with a {@code null} student answer.
 *
 * @param training          the student's training run; {@code training.folder()} is the model folder
 * @param teacher           the teacher model's name
 * @param sampled           records drawn from the data
 * @param labelled          records the teacher labelled
 * @param failures          the records the teacher did not label, with why, in source order
 * @param trainRecords      teacher-labelled records the student trained on
 * @param devRecords        teacher-labelled records that chose the student's epoch
 * @param heldBack          the teacher-labelled records kept out of training, with both models' answers
 * @param metric            what the scores measure: {@code accuracy}, or {@code entity micro-F1} for NER
 * @param agreement         the student's score against the teacher's answers on {@code heldBack}; {@code NaN} when
 *                          nothing was held back
 * @param goldRecords       held-back records with a gold answer (a label, or a gold entity list) that the task
 *                          accepts
 * @param goldSetAside      held-back records whose gold answer the task refuses (a label outside its set, entities
 *                          that do not fit the text): listed without gold and not scored against it
 * @param teacherGold       the teacher's scores against the gold answers; {@code null} when there are none
 * @param studentGold       the student's scores against the same gold answers (per label or per entity type
 *                          included); {@code null} when there are none
 * @param teacherUsage      what the teacher's run cost; answers found in the journal cost nothing
 * @param report            the report file in the model folder
 */
public record DistillationResult(
        TrainingResult training,
        String teacher,
        int sampled,
        int labelled,
        List<Failed> failures,
        int trainRecords,
        int devRecords,
        List<HeldBack> heldBack,
        String metric,
        double agreement,
        int goldRecords,
        int goldSetAside,
        Metrics teacherGold,
        Metrics studentGold,
        Usage teacherUsage,
        Path report) {

    /** A record the teacher did not label: its id, where it was read (or {@code null}), and why. */
    public record Failed(String id, String source, Failure failure) {}

    /**
     * A held-back record: its id, where it was read (or {@code null}), its gold answer (or {@code null}), the
     * teacher's answer, and the student's ({@code null} when the student failed on it). A gold answer is given in the
     * form of a prediction with score 1: a {@link Prediction.Classification}, a {@link Prediction.Match} or the gold
     * {@link Prediction.Entities}.
     */
    public record HeldBack(String id, String source, Prediction gold, Prediction teacher, Prediction student) {}

    public DistillationResult {
        failures = List.copyOf(failures);
        heldBack = List.copyOf(heldBack);
    }

    /** The teacher's score against the gold answers ({@link Metrics#primary()}); {@code NaN} without gold answers. */
    public double teacherGoldScore() {
        return score(teacherGold);
    }

    /**
     * The student's score against the gold answers ({@link Metrics#primary()}) over the {@code studentGold.evaluated()}
     * of them it did not fail on; {@code NaN} when there are none.
     */
    public double studentGoldScore() {
        return score(studentGold);
    }

    private static double score(Metrics m) {
        return m == null || m.evaluated() == 0 ? Double.NaN : m.primary();
    }

    /** Records the teacher did not label. */
    public int failed() {
        return failures.size();
    }

    /** The failed records counted by kind, in the kinds' declaration order. */
    public Map<Failure.Kind, Long> failuresByKind() {
        Map<Failure.Kind, Long> byKind = new java.util.EnumMap<>(Failure.Kind.class);
        for (Failed f : failures) {
            byKind.merge(f.failure().kind(), 1L, Long::sum);
        }
        return java.util.Collections.unmodifiableMap(byKind);
    }
}
