package io.openautoglm.prompt.internal;

/** Checks for builder values, so that every optimiser words its messages the same way. */
public final class Knobs {
    private Knobs() {}

    public static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    public static int defaultConcurrency() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }
}
