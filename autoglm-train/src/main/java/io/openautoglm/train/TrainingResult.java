package io.openautoglm.train;

import java.nio.file.Path;
import java.util.List;

/**
 * What a training run produced: the model folder ({@code local:FOLDER} serves it) and how it got there.
 *
 * @param folder       the model folder
 * @param epochs       each epoch's mean training loss, dev metric, seconds and tokens per second
 * @param bestEpoch    the epoch whose weights the folder holds
 * @param devMetric    the dev metric of that epoch; {@code NaN} without a dev set
 * @param steps        optimiser steps taken
 * @param stoppedEarly whether early stopping or the time limit ended the run before its last epoch
 * @param seconds      wall-clock time of the whole run, writing included
 * @param metric       what the dev metric measures: {@code accuracy}, or {@code entity micro-F1} for NER
 * @param int8DevMetric the dev metric of the int8 export ({@code folder/int8}) as served; {@code NaN} without one
 */
public record TrainingResult(
        Path folder,
        List<EpochReport> epochs,
        int bestEpoch,
        double devMetric,
        long steps,
        boolean stoppedEarly,
        double seconds,
        String metric,
        double int8DevMetric) {

    /**
     * One epoch; {@code completed} is the share of its batches that ran, below 1 when the time limit cut it short.
     */
    public record EpochReport(
            int epoch, double loss, double devMetric, double seconds, double tokensPerSecond, double completed) {}

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }
}
