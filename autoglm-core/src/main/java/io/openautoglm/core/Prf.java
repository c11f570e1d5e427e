package io.openautoglm.core;

/** Precision, recall and F1 of one class or entity type, with its support (gold count). */
public record Prf(double precision, double recall, double f1, long support) {

    /** From true positives, false positives and false negatives; 0 where a ratio is undefined. */
    public static Prf of(long tp, long fp, long fn) {
        double p = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double r = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
        return new Prf(p, r, f, tp + fn);
    }
}
