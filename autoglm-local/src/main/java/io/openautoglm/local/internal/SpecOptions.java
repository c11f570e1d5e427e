package io.openautoglm.local.internal;

import io.openautoglm.core.TaskSpec;
import io.openautoglm.local.LogisticRegressionHead;
import java.util.Locale;

/** Reads the local engine's task options ({@code TaskSpec.option}), naming the key and value on error. */
final class SpecOptions {
    private SpecOptions() {
    }

    static double doubleOption(TaskSpec spec, String key, double fallback) {
        String v = spec.options().get(key);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException("not finite");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("task option " + key + ": expected a number, got '" + v + "'", e);
        }
    }

    static int intOption(TaskSpec spec, String key, int fallback) {
        long n = longOption(spec, key, fallback);
        if (n != (int) n) {
            throw new IllegalArgumentException("task option " + key + ": expected an integer within the int range, got "
                    + n);
        }
        return (int) n;
    }

    static long longOption(TaskSpec spec, String key, long fallback) {
        String v = spec.options().get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("task option " + key + ": expected an integer, got '" + v + "'", e);
        }
    }

    static boolean boolOption(TaskSpec spec, String key, boolean fallback) {
        String v = spec.options().get(key);
        if (v == null) {
            return fallback;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("task option " + key + ": expected true or false, got '" + v
                    + "'");
        };
    }

    /**
     * The head trainer the task options describe: {@code l2}, {@code epochs}, {@code seed}, {@code learningRate},
     * {@code batchSize}, each defaulting to {@link LogisticRegressionHead#trainer()}'s.
     */
    static LogisticRegressionHead.Trainer trainer(TaskSpec spec) {
        LogisticRegressionHead.Trainer d = LogisticRegressionHead.trainer();
        return d.l2(doubleOption(spec, "l2", d.l2()))
                .epochs(intOption(spec, "epochs", d.epochs()))
                .seed(longOption(spec, "seed", d.seed()))
                .learningRate(doubleOption(spec, "learningRate", d.learningRate()))
                .batchSize(intOption(spec, "batchSize", d.batchSize()));
    }
}
