package io.openautoglm.local.internal;

import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.spi.OptionReader;
import io.openautoglm.local.LogisticRegressionHead;

/** The local engine's task options ({@code TaskSpec.option}), read with {@link OptionReader}. */
final class TaskOptions {
    /**
     * How firmly a few-shot classification head is held to the zero-shot classifier: the precision of the
     * Gaussian prior on its correction, in logits of a unit-norm embedding. At 1, a correction is expected to move
     * a text's logits by about 1, the size of the zero-shot margins at the default temperature (cosine gaps of a few
     * hundredths, divided by 0.05), so a handful of examples adjusts the label words rather than replacing them.
     */
    static final double DEFAULT_PRIOR_STRENGTH = 1.0;

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

    /** {@code priorStrength}, {@code >= 0}: 0 trains the classification head freely, as before the prior. */
    static double priorStrength(OptionReader options) {
        return options.decimal("priorStrength", DEFAULT_PRIOR_STRENGTH, 0, Double.POSITIVE_INFINITY);
    }
}
