package io.openautoglm.local.internal;

import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.spi.OptionReader;
import io.openautoglm.local.LogisticRegressionHead;

/** The local engine's task options ({@code TaskSpec.option}), read with {@link OptionReader}. */
final class TaskOptions {
    private TaskOptions() {}

    /** A reader of the task's options; errors say {@code task option <key>: …}. */
    static OptionReader of(TaskSpec spec) {
        return OptionReader.of("task option", spec.options());
    }

    /**
     * The head trainer the task options describe: {@code l2}, {@code epochs}, {@code seed}, {@code learningRate},
     * {@code batchSize}, each defaulting to {@link LogisticRegressionHead#trainer()}'s.
     */
    static LogisticRegressionHead.Trainer trainer(OptionReader options) {
        LogisticRegressionHead.Trainer d = LogisticRegressionHead.trainer();
        double learningRate = options.decimal("learningRate", d.learningRate(), 0, Double.POSITIVE_INFINITY);
        if (learningRate == 0) {
            throw options.invalid("learningRate", "expected a finite number above 0");
        }
        return d.l2(options.decimal("l2", d.l2(), 0, Double.POSITIVE_INFINITY))
                .epochs(options.integer("epochs", d.epochs(), 1, Integer.MAX_VALUE))
                .seed(options.longValue("seed", d.seed()))
                .learningRate(learningRate)
                .batchSize(options.integer("batchSize", d.batchSize(), 1, Integer.MAX_VALUE));
    }
}
