package io.openautoglm.local.internal;

import io.openautoglm.core.TaskSpec;
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
        String v = spec.options().get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
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
}
