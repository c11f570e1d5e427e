package io.openautoglm.benchmarks.train;

import io.openautoglm.train.TrainingListener;
import java.util.Locale;

/** What the training benchmarks print while they run: every hundredth step and each epoch's end, with the load. */
final class Progress {
    private Progress() {}

    static TrainingListener printer() {
        return p -> {
            if (p.evaluated() || p.step() % 100 == 0) {
                System.out.printf(
                        Locale.ROOT,
                        "epoch %d step %d/%d loss %.4f dev %.4f %.0f tokens/s load %.2f%n",
                        p.epoch(),
                        p.step(),
                        p.totalSteps(),
                        p.loss(),
                        p.devMetric(),
                        p.tokensPerSecond(),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage());
            }
        };
    }
}
