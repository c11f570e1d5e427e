package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.openautoglm.train.TrainingListener;
import io.openautoglm.train.TrainingProgress;
import io.openautoglm.train.TrainingResult.EpochReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop for any {@link TaskHead} on the encoder: AdamW with linear warm-up
 * and decay, clipping, seeded length-bucketed batches, a dev evaluation after each epoch, early stopping, the best
 * epoch's weights kept, and a checkpoint after each epoch to resume from.
 */
public final class FineTuning {
    private static final Logger LOG = LoggerFactory.getLogger(FineTuning.class);
    /** The new head starts from nothing; it learns this many times faster than the pretrained encoder. */
    private static final float HEAD_RATE = 20f;

    /**
     * The settings of one run.
     *
     * @param trainWordEmbeddings whether the word-embedding table is trained; frozen, it takes no gradient step
     * @param averageWeights      whether the model is a moving average of the weights, its mean age half an epoch
     *                            ({@link WeightAverage}), rather than the last step's weights
     */
    public record Settings(
            int epochs,
            int batchSize,
            float learningRate,
            float warmupRatio,
            float weightDecay,
            float maxGradNorm,
            long seed,
            int patience,
            long deadlineNanos,
            int logEvery,
            TrainingListener listener,
            Map<String, String> fingerprint,
            boolean trainWordEmbeddings,
            boolean averageWeights) {}

    /** What a run ends with: the best epoch's weights are in the encoder and head. */
    public record Outcome(
            List<EpochReport> history, int bestEpoch, double bestDev, long steps, boolean stoppedEarly, int skipped) {}

    private final BertEncoder encoder;
    private final TaskHead head;
    private final Settings settings;
    private final Path checkpoint;

    public FineTuning(BertEncoder encoder, TaskHead head, Settings settings, Path checkpoint) {
        this.encoder = encoder;
        this.head = head;
        this.settings = settings;
        this.checkpoint = checkpoint;
    }

    /**
     * Whether a run writing its checkpoint to {@code checkpoint} would resume from one there: its weights then come
     * from the checkpoint (or it is refused as another run's), so whatever prepared them before is wasted work.
     */
    public static boolean resumes(Path checkpoint) {
        return RunState.complete(checkpoint) != null;
    }

    public Outcome run(List<Batches.Example> train, List<Batches.Example> dev, NDManager manager) throws IOException {
        Map<String, NDArray> encoderParams = new LinkedHashMap<>(encoder.parameters());
        if (!settings.trainWordEmbeddings()) {
            encoderParams.remove(BertEncoder.WORDS);
        }
        Map<String, NDArray> headParams = head.parameters();
        encoderParams.values().forEach(p -> p.setRequiresGradient(true));
        headParams.values().forEach(p -> p.setRequiresGradient(true));
        AdamW encoderOpt = new AdamW(encoderParams, settings.weightDecay());
        AdamW headOpt = new AdamW(headParams, settings.weightDecay());
        Map<String, NDArray> all = new LinkedHashMap<>(encoderParams);
        all.putAll(headParams);

        int batchesPerEpoch = (train.size() + settings.batchSize() - 1) / settings.batchSize();
        long totalSteps = (long) batchesPerEpoch * settings.epochs();
        long warmup = Math.max(1, Math.round(totalSteps * settings.warmupRatio()));
        WeightAverage average = settings.averageWeights() ? new WeightAverage(all, batchesPerEpoch / 2) : null;
        if (average != null && batchesPerEpoch < 4) {
            LOG.warn(
                    "{} batches an epoch: too few to average over half an epoch, so the average is the last step's"
                            + " weights",
                    batchesPerEpoch);
        }
        List<EpochReport> history = new ArrayList<>();
        Map<String, float[]> best = null;
        int bestEpoch = 0;
        double bestDev = Double.NEGATIVE_INFINITY;
        int firstEpoch = 1;
        Map<String, NDArray> tensors = new LinkedHashMap<>(all);
        encoderOpt.state().forEach((k, v) -> tensors.put("encoder." + k, v));
        headOpt.state().forEach((k, v) -> tensors.put("head." + k, v));
        if (average != null) {
            tensors.putAll(average.state());
        }
        RunState resumed = checkpoint == null ? null : RunState.read(checkpoint, tensors, settings.fingerprint());
        if (resumed != null) {
            encoderOpt.steps(resumed.steps());
            headOpt.steps(resumed.steps());
            history.addAll(resumed.history());
            firstEpoch = resumed.epoch() + 1;
            bestEpoch = resumed.bestEpoch();
            bestDev = resumed.bestDev();
            best = resumed.best();
            LOG.info("Resuming after epoch {} from {}", resumed.epoch(), checkpoint);
        }
        boolean stoppedEarly = false;
        int skipped = 0;
        long begun = System.nanoTime();
        int lastScored = 0; // the epoch whose weights dev last saw in this process
        for (int epoch = firstEpoch; epoch <= settings.epochs(); epoch++) {
            // dropout is seeded per epoch, so that a resumed epoch draws what an uninterrupted run would
            manager.getEngine().setRandomSeed((int) (settings.seed() + epoch));
            long started = System.nanoTime();
            float lastRate = 0;
            double lossSum = 0;
            int lossCount = 0;
            long tokens = 0;
            double windowLoss = 0;
            int windowCount = 0;
            long windowTokens = 0;
            long windowStart = started;
            List<List<Batches.Example>> planned =
                    Batches.plan(train, settings.batchSize(), new Random(settings.seed() + epoch));
            int ran = 0;
            for (List<Batches.Example> batch : planned) {
                ran++;
                long step = encoderOpt.steps() + 1;
                float rate = settings.learningRate()
                        * schedule(
                                step,
                                warmup,
                                totalSteps,
                                timeShare(System.nanoTime(), begun, settings.deadlineNanos()));
                lastRate = rate;
                try (NDManager scratch = manager.newSubManager()) {
                    Batches.Batch b = Batches.tensors(batch, scratch);
                    float loss;
                    try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                        NDArray value = head.loss(states(b, true), b);
                        collector.backward(value);
                        loss = value.getFloat();
                    }
                    double norm =
                            Math.sqrt(encoderOpt.squaredGradientNorm(scratch) + headOpt.squaredGradientNorm(scratch));
                    float clip = settings.maxGradNorm() > 0 && norm > settings.maxGradNorm()
                            ? (float) (settings.maxGradNorm() / (norm + 1e-6))
                            : 1f;
                    boolean finite = Float.isFinite(loss) && Double.isFinite(norm);
                    String culprit = finite ? null : culprit(encoderOpt, headOpt, scratch);
                    if (finite) {
                        encoderOpt.step(rate, clip, scratch);
                        headOpt.step(rate * HEAD_RATE, clip, scratch);
                        if (average != null) {
                            average.update(step);
                        }
                    }
                    encoderOpt.clear(finite, scratch);
                    headOpt.clear(finite, scratch);
                    if (!finite) {
                        // one overflowing batch must not turn every weight into NaN: skip it, as loss scalers do
                        skipped++;
                        LOG.warn(
                                "step {}: loss {} or gradient norm {} is not finite ({}); the batch of {}"
                                        + " records is skipped ({} so far)",
                                step,
                                loss,
                                norm,
                                culprit,
                                batch.size(),
                                skipped);
                        continue;
                    }
                    lossSum += loss;
                    lossCount++;
                    tokens += b.tokens();
                    windowLoss += loss;
                    windowCount++;
                    windowTokens += b.tokens();
                }
                if (step % settings.logEvery() == 0) {
                    long now = System.nanoTime();
                    report(
                            epoch,
                            step,
                            totalSteps,
                            windowLoss / windowCount,
                            rate,
                            Double.NaN,
                            windowTokens,
                            now - windowStart,
                            false);
                    windowLoss = 0;
                    windowCount = 0;
                    windowTokens = 0;
                    windowStart = now;
                }
                if (System.nanoTime() > settings.deadlineNanos()) {
                    break;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            // with an average, the last step's weights are scored first, for the log only: the average is scored
            // last, so that a head calibrating on dev (a matching threshold) keeps the threshold of the weights kept
            double last = average != null && !dev.isEmpty() ? score(dev, manager) : Double.NaN;
            double devScore;
            try (NDManager scratch = manager.newSubManager()) {
                WeightAverage.Swap swap = average == null ? () -> {} : average.swapIn(scratch);
                try {
                    devScore = score(dev, manager);
                    if (Double.isNaN(devScore) || devScore > bestDev) {
                        bestDev = devScore;
                        bestEpoch = epoch;
                        best = snapshot(all);
                    }
                } finally {
                    swap.restore();
                }
            }
            if (!Double.isNaN(last)) {
                LOG.info(
                        "epoch {}: dev {} {} with the averaged weights (the model), {} with the last step's",
                        epoch,
                        head.metric(),
                        String.format("%.4f", devScore),
                        String.format("%.4f", last));
            }
            lastScored = epoch;
            double meanLoss = lossSum / Math.max(1, lossCount);
            history.add(new EpochReport(
                    epoch,
                    meanLoss,
                    devScore,
                    seconds,
                    tokens / Math.max(seconds, 1e-9),
                    (double) ran / planned.size()));
            if (checkpoint != null) {
                new RunState(
                                epoch,
                                encoderOpt.steps(),
                                List.copyOf(history),
                                bestEpoch,
                                bestDev,
                                best,
                                settings.fingerprint())
                        .write(checkpoint, tensors);
            }
            // reported once the checkpoint holds this epoch: a listener that stops the run loses nothing
            report(
                    epoch,
                    encoderOpt.steps(),
                    totalSteps,
                    meanLoss,
                    lastRate,
                    devScore,
                    tokens,
                    (long) (seconds * 1e9),
                    true);
            if (epoch - bestEpoch >= settings.patience()) {
                stoppedEarly = epoch < settings.epochs();
                LOG.info(
                        "Stopping after epoch {}: dev {} has not improved for {} epoch(s)",
                        epoch,
                        head.metric(),
                        settings.patience());
                break;
            }
            if (System.nanoTime() > settings.deadlineNanos()) {
                stoppedEarly = epoch < settings.epochs();
                LOG.info("Stopping after epoch {}: the time limit is reached", epoch);
                break;
            }
        }
        if (best != null) {
            for (Map.Entry<String, NDArray> p : all.entrySet()) {
                p.getValue().set(java.nio.FloatBuffer.wrap(best.get(p.getKey())));
            }
            if (head.calibratesOnDev() && !dev.isEmpty() && bestEpoch != lastScored) {
                double again = score(dev, manager);
                if (Math.abs(again - bestDev) > 1e-9) {
                    LOG.warn("Epoch {} scored dev {} when kept and {} when rescored", bestEpoch, bestDev, again);
                }
            }
        }
        all.values().forEach(p -> p.setRequiresGradient(false));
        return new Outcome(List.copyOf(history), bestEpoch, bestDev, encoderOpt.steps(), stoppedEarly, skipped);
    }

    /** Where a skipped batch went non-finite, for its log line: the first such gradient, or none. */
    private static String culprit(AdamW encoder, AdamW head, NDManager scratch) {
        String inEncoder = encoder.firstNonFinite(scratch);
        String inHead = head.firstNonFinite(scratch);
        if (inEncoder.equals("none") && inHead.equals("none")) {
            // a finite loss with an infinite norm: some gradient's square overflowed float32, an explosion, not a NaN
            return "no gradient holds a NaN or infinity: the loss, or a squared gradient past float32's range";
        }
        return "first non-finite gradient: " + (inEncoder.equals("none") ? "head " + inHead : inEncoder);
    }

    /**
     * Linear warm-up to the full rate, then linear decay to zero at the last step, or at the time limit when that
     * comes first: the decay follows whichever share is further on, of the steps or of the time. A run cut off by its
     * time limit would otherwise stop wherever its steps had brought the rate (at 40% of the peak when cut at 60% of
     * them); annealed to the limit, its last (partial) epoch ends as a finished schedule does (budget-aware decay: Li
     * et al., 2020). Warm-up is counted in steps only.
     *
     * @param timeSpent the share of the time limit spent, 0 without one
     */
    static float schedule(long step, long warmup, long total, double timeSpent) {
        if (step <= warmup) {
            return (float) step / warmup;
        }
        double progress = Math.max((double) step / total, timeSpent);
        return (float) Math.max(0, (1 - progress) / (1 - (double) warmup / total));
    }

    /**
     * The share of the time from {@code begun} (this process's first step) to the deadline that has passed at
     * {@code now}; 0 without a deadline ({@link Long#MAX_VALUE}).
     */
    static double timeShare(long now, long begun, long deadline) {
        if (deadline == Long.MAX_VALUE) {
            return 0;
        }
        return Math.min(1, Math.max(0, now - begun) / (double) Math.max(1, deadline - begun));
    }

    /** The head's dev score, the encoder run without dropout. */
    private double score(List<Batches.Example> dev, NDManager manager) {
        TaskHead.Score score = head.score();
        for (List<Integer> indices : Batches.inOrder(dev, Math.max(settings.batchSize(), 32))) {
            try (NDManager scratch = manager.newSubManager()) {
                Batches.Batch b = Batches.tensors(indices.stream().map(dev::get).toList(), scratch);
                score.add(states(b, false), b);
            }
        }
        return score.value();
    }

    private NDArray states(Batches.Batch b, boolean training) {
        return head.readsFirstTokenOnly()
                ? encoder.forwardFirstToken(b.ids(), b.mask(), b.types(), training)
                : encoder.forward(b.ids(), b.mask(), b.types(), training);
    }

    private void report(
            int epoch,
            long step,
            long total,
            double loss,
            float rate,
            double dev,
            long tokens,
            long nanos,
            boolean end) {
        TrainingProgress p =
                new TrainingProgress(epoch, step, total, loss, rate, dev, tokens / Math.max(nanos / 1e9, 1e-9), end);
        if (end) {
            LOG.info(
                    "epoch {} step {}/{}: loss {}, dev {} {}, {} tokens/s",
                    epoch,
                    step,
                    total,
                    String.format("%.4f", loss),
                    head.metric(),
                    String.format("%.4f", dev),
                    Math.round(p.tokensPerSecond()));
        } else {
            LOG.debug(
                    "epoch {} step {}/{}: loss {}, {} tokens/s",
                    epoch,
                    step,
                    total,
                    loss,
                    Math.round(p.tokensPerSecond()));
        }
        if (settings.listener() != null) {
            settings.listener().onProgress(p);
        }
    }

    private static Map<String, float[]> snapshot(Map<String, NDArray> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }
}
