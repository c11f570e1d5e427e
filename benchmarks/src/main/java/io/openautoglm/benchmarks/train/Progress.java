package io.openautoglm.benchmarks.train;

import io.openautoglm.train.TrainingListener;
import io.openautoglm.train.TrainingResult;
import java.util.Locale;

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
}
