package io.openautoglm.train;

import io.openautoglm.core.Failure;
import io.openautoglm.core.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a distillation produced: the student's model folder and how it compares with its teacher on records held
 * back from its training. Every sampled record is accounted for: {@code sampled == labelled + failures.size()}, and
 * {@code labelled == trainRecords + devRecords + heldBack.size()}.
 *
 * @param training            the student's training run; {@code training.folder()} is the model folder
 * @param teacher             the teacher model's name
 * @param sampled             records drawn from the data
 * @param labelled            records the teacher labelled
 * @param failures            the records the teacher did not label, with why, in source order
 * @param trainRecords        teacher-labelled records the student trained on
 * @param devRecords          teacher-labelled records that chose the student's epoch
 * @param heldBack            the teacher-labelled records kept out of training, with both models' labels
 * @param agreement           the share of {@code heldBack} on which the student gives the teacher's label;
 *                            {@code NaN} when nothing was held back
 * @param goldRecords         held-back records with a gold label
 * @param teacherGoldAccuracy the teacher's accuracy on those; {@code NaN} when there are none
 * @param studentGoldAccuracy the student's accuracy on the same records; {@code NaN} when there are none
 * @param teacherUsage        what the teacher's run cost; answers found in the journal cost nothing
 * @param report              the report file in the model folder
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
        double agreement,
        int goldRecords,
        double teacherGoldAccuracy,
        double studentGoldAccuracy,
        Usage teacherUsage,
        Path report) {

    /** A record the teacher did not label: its id, where it was read (or {@code null}), and why. */
    public record Failed(String id, String source, Failure failure) {}

    /**
     * A held-back record: its id, where it was read (or {@code null}), its gold label (or {@code null}), the
     * teacher's label, and the student's ({@code null} when the student failed on it).
     */
    public record HeldBack(String id, String source, String gold, String teacher, String student) {}

    public DistillationResult {
        failures = List.copyOf(failures);
        heldBack = List.copyOf(heldBack);
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
