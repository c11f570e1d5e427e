package io.openautoglm.benchmarks.train;

import io.openautoglm.core.Metrics;
import io.openautoglm.core.Prf;
import io.openautoglm.train.DistillationResult;
import io.openautoglm.train.TrainingListener;
import io.openautoglm.train.TrainingResult;
import java.util.Locale;
import java.util.Map;

/** What the training benchmarks print while they run: every hundredth step and each epoch's end, with the load. */
final class Progress {
    private Progress() {}

    static TrainingListener printer() {
        return printer("dev");
    }

    /** The same, naming the dev score {@code dev}. */
    static TrainingListener printer(String dev) {
        return p -> {
            if (p.evaluated() || p.step() % 100 == 0) {
                System.out.printf(
                        Locale.ROOT,
                        "epoch %d step %d/%d loss %.4f %s %.4f %.0f tokens/s load %.2f%n",
                        p.epoch(),
                        p.step(),
                        p.totalSteps(),
                        p.loss(),
                        dev,
                        p.devMetric(),
                        p.tokensPerSecond(),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage());
            }
        };
    }

    /**
     * The lines a distillation benchmark prints when the distillation ends: the teacher's counts ({@code unknown}
     * texts its script did not know, {@code requests} the server saw), the student's training, the held-back scores.
     */
    static void distilled(DistillationResult r, long unknown, long requests) {
        System.out.printf(
                Locale.ROOT,
                "teacher: %d sampled, %d answered, %d failed %s (%d texts the script did not know), "
                        + "%d requests to the server, usage %s%n",
                r.sampled(),
                r.labelled(),
                r.failed(),
                r.failuresByKind(),
                unknown,
                requests,
                r.teacherUsage());
        System.out.printf(
                Locale.ROOT,
                "student: trained on %d teacher answers, epoch chosen on %d: best epoch %d of %d, %d steps, %.0f s%s%n",
                r.trainRecords(),
                r.devRecords(),
                r.training().bestEpoch(),
                r.training().epochs().size(),
                r.training().steps(),
                r.training().seconds(),
                r.training().stoppedEarly() ? " (stopped early)" : "");
        System.out.printf(
                Locale.ROOT,
                "held back %d: agreement (%s) %.4f; gold %s teacher %.4f, student %.4f%n",
                r.heldBack().size(),
                r.metric(),
                r.agreement(),
                r.metric(),
                r.teacherGoldScore(),
                r.studentGoldScore());
    }

    /** Entity micro-F1 with precision and recall, then each type's, as the NER benchmarks print them. */
    static void entities(String what, Metrics.EntityMetrics m) {
        System.out.printf(
                Locale.ROOT,
                "%s (%d sentences): entity micro-F1 %.4f (precision %.4f, recall %.4f)%n",
                what,
                m.evaluated(),
                m.micro().f1(),
                m.micro().precision(),
                m.micro().recall());
        for (Map.Entry<String, Prf> t : m.perType().entrySet()) {
            System.out.printf(
                    Locale.ROOT,
                    "  %-14s F1 %.4f (P %.4f, R %.4f, support %d)%n",
                    t.getKey(),
                    t.getValue().f1(),
                    t.getValue().precision(),
                    t.getValue().recall(),
                    t.getValue().support());
        }
    }

    /** The line a benchmark prints when training ends. */
    static void trained(TrainingResult r) {
        System.out.printf(
                Locale.ROOT,
                "trained: best epoch %d, dev %s %.4f, %d steps, %.0f s%s%n",
                r.bestEpoch(),
                r.metric(),
                r.devMetric(),
                r.steps(),
                r.seconds(),
                r.stoppedEarly() ? " (stopped early)" : "");
    }

    /** A benchmark's weights argument: {@code averaged} for {@code averageWeights(true)}, {@code last} for false. */
    static boolean averaged(String weights) {
        return switch (weights) {
            case "averaged" -> true;
            case "last" -> false;
            default -> throw new IllegalArgumentException("weights: expected last or averaged, got " + weights);
        };
    }
}
