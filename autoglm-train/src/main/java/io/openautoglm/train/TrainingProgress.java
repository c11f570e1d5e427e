package io.openautoglm.train;

/**
 * Where a training run stands, as a {@link TrainingListener} hears it after each logged step and after each epoch's
 * evaluation.
 *
 * @param epoch           the epoch, from 1
 * @param step            optimiser steps taken so far over the whole run
 * @param totalSteps      the steps the run plans to take (fewer when it stops early)
 * @param loss            the mean training loss since the previous report
 * @param learningRate    the learning rate of the last step (after warm-up and decay)
 * @param devMetric       the dev metric after this epoch (accuracy, or entity micro-F1 for NER); {@code NaN} on
 *                        reports between evaluations
 * @param tokensPerSecond training tokens (padding excluded) per second since the previous report
 * @param epochEnd        whether this report ends an epoch (with or without a dev set)
 */
public record TrainingProgress(
        int epoch,
        long step,
        long totalSteps,
        double loss,
        double learningRate,
        double devMetric,
        double tokensPerSecond,
        boolean epochEnd) {

    /** Whether this report carries a dev evaluation: it ends an epoch of a run with a dev set. */
    public boolean evaluated() {
        return !Double.isNaN(devMetric);
    }
}
