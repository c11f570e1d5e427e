package io.openautoglm.gnn.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import io.openautoglm.gnn.Architecture;
import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.HyperParameters;
import io.openautoglm.gnn.TrainingReport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** Trains a node classifier: cross-entropy on the train split, early stopping on validation. */
public final class NodeTrainer {
    private NodeTrainer() {}

    /**
     * Trains one network, then, for each round of {@link HyperParameters#selfTraining()}, pseudo-labels
     * the unlabelled nodes it is most confident about and trains a fresh network with them. When {@code
     * keep} is false the network is freed before returning. The report is the last network's, with the
     * epochs and wall time of all rounds.
     *
     * @param stop polled every epoch; returning true ends training early (wall-time budget)
     */
    public static Result train(
            NodeData data, Architecture arch, HyperParameters hp, long seed, boolean keep, BooleanSupplier stop) {
        long start = System.nanoTime();
        Result r = trainOnce(data, arch, hp, seed, keep || hp.selfTraining() > 0, stop);
        int epochs = r.outcome().epochs();
        NodeData current = data;
        List<Integer> extra = new ArrayList<>();
        List<Integer> extraLabels = new ArrayList<>();
        for (int round = 0; round < hp.selfTraining() && !stop.getAsBoolean(); round++) {
            int before = extra.size();
            pseudoLabel(r.network(), current, extra, extraLabels);
            if (extra.size() == before) {
                break; // no unlabelled node left: another round would train on the same labels again
            }
            r.manager().close();
            NodeData next = new NodeData(
                    data,
                    extra.stream().mapToInt(Integer::intValue).toArray(),
                    extraLabels.stream().mapToInt(Integer::intValue).toArray());
            if (current != data) {
                current.close();
            }
            current = next;
            r = trainOnce(current, arch, hp, seed, true, stop);
            epochs += r.outcome().epochs();
        }
        TrainingReport last = r.outcome();
        TrainingReport outcome = new TrainingReport(
                last.valScore(),
                last.valLoss(),
                last.test(),
                epochs,
                last.bestEpoch(),
                last.trainSecondsPerEpoch(),
                (System.nanoTime() - start) / 1e9,
                last.parameters());
        if (keep) {
            // a self-trained network's arrays live under its round's data: that stays open until the model closes
            return new Result(outcome, r.network(), r.manager());
        }
        if (r.manager() != null) {
            r.manager().close();
        }
        if (current != data) {
            current.close();
        }
        return new Result(outcome, null, null);
    }

    /**
     * Adds to {@code nodes} / {@code classes}, for each class, the {@link
     * HyperParameters#PSEUDO_LABELS_PER_CLASS} unlabelled nodes not yet chosen that the network predicts
     * for that class most confidently.
     */
    static void pseudoLabel(Network net, NodeData data, List<Integer> nodes, List<Integer> classes) {
        float[] p = probabilities(net, data);
        int c = data.numClasses;
        Set<Integer> taken = new HashSet<>(nodes);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int k = 0; k < c; k++) {
            byClass.add(new ArrayList<>());
        }
        float[] confidence = new float[data.graph.numNodes()];
        for (int i = 0; i < data.graph.numNodes(); i++) {
            if (data.graph.split(i) != Graph.Split.NONE || taken.contains(i)) {
                continue;
            }
            int best = 0;
            for (int k = 1; k < c; k++) {
                if (p[i * c + k] > p[i * c + best]) {
                    best = k;
                }
            }
            confidence[i] = p[i * c + best];
            byClass.get(best).add(i);
        }
        for (int k = 0; k < c; k++) {
            List<Integer> candidates = byClass.get(k);
            candidates.sort((a, b) -> Float.compare(confidence[b], confidence[a]));
            for (int i : candidates.subList(0, Math.min(HyperParameters.PSEUDO_LABELS_PER_CLASS, candidates.size()))) {
                nodes.add(i);
                classes.add(k);
            }
        }
    }

    private static Result trainOnce(
            NodeData data, Architecture arch, HyperParameters hp, long seed, boolean keep, BooleanSupplier stop) {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) seed);
        data.features.reseed(seed);
        NDManager modelManager = data.manager.newSubManager();
        try {
            Network net = new Network(modelManager, arch, data.graph.numFeatures(), data.numClasses, seed);
            Adam adam = new Adam(modelManager, net.parameters(), hp.learningRate(), hp.weightDecay());
            long start = System.nanoTime();
            long trainNanos = 0;
            double keptAcc = -1;
            double keptLoss = Double.POSITIVE_INFINITY;
            double bestLoss = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            int sinceImprovement = 0;
            float[][] best = null;
            int epoch = 0;
            boolean byLoss = hp.checkpoint() == HyperParameters.Checkpoint.LOWEST_LOSS;
            while (epoch < hp.maxEpochs()) {
                epoch++;
                long t0 = System.nanoTime();
                try (NDScope scope = new NDScope()) {
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        gc.backward(trainingLoss(net, data, hp.consistency()));
                    }
                    adam.step();
                    scope.suppressNotUsedWarning();
                }
                trainNanos += System.nanoTime() - t0;
                double[] eval = evaluate(net, data);
                double valAcc = eval[0];
                double valLoss = eval[1];
                boolean improved = false;
                boolean better =
                        byLoss ? valLoss < keptLoss : valAcc > keptAcc || (valAcc == keptAcc && valLoss < keptLoss);
                if (better) {
                    keptAcc = valAcc;
                    keptLoss = valLoss;
                    bestEpoch = epoch;
                    best = net.snapshot();
                    improved = true;
                }
                if (valLoss < bestLoss) {
                    bestLoss = valLoss;
                    improved = true;
                }
                sinceImprovement = improved ? 0 : sinceImprovement + 1;
                if (sinceImprovement >= hp.patience() || stop.getAsBoolean()) {
                    break;
                }
            }
            if (best != null) {
                net.restore(best);
            }
            double testAcc = accuracy(predict(net, data), data.labels, data.test);
            TrainingReport outcome = new TrainingReport(
                    keptAcc,
                    keptLoss,
                    Map.of("accuracy", testAcc),
                    epoch,
                    bestEpoch,
                    trainNanos / 1e9 / epoch,
                    (System.nanoTime() - start) / 1e9,
                    net.parameters().stream().mapToLong(NDArray::size).sum());
            if (keep) {
                return new Result(outcome, net, modelManager);
            }
            modelManager.close();
            return new Result(outcome, null, null);
        } catch (RuntimeException e) {
            modelManager.close();
            throw e;
        }
    }

    /**
     * Mean cross-entropy on the train nodes; under consistency regularisation, the mean over {@link
     * HyperParameters#CONSISTENCY_SAMPLES} dropout passes plus {@code consistency} times their {@link
     * #consistencyLoss}.
     */
    private static NDArray trainingLoss(Network net, NodeData data, double consistency) {
        int samples = consistency > 0 ? HyperParameters.CONSISTENCY_SAMPLES : 1;
        NDArray supervised = null;
        List<NDArray> probabilities = new ArrayList<>(samples);
        for (int s = 0; s < samples; s++) {
            NDArray logits = net.forward(data.structure, data.features, true);
            NDArray logp;
            if (consistency > 0) {
                NDArray all = logits.logSoftmax(1);
                probabilities.add(all.exp());
                logp = all.get(new NDIndex("{}", data.trainIdx));
            } else {
                logp = logits.get(new NDIndex("{}", data.trainIdx)).logSoftmax(1);
            }
            NDArray ce = logp.mul(data.trainOneHot).sum().neg().div(constant(logp, data.train.length));
            supervised = supervised == null ? ce : supervised.add(ce);
        }
        if (consistency == 0) {
            return supervised;
        }
        NDArray agreement = consistencyLoss(probabilities, HyperParameters.SHARPENING_TEMPERATURE);
        return supervised.div(constant(supervised, samples)).add(agreement.mul(constant(agreement, consistency)));
    }

    /**
     * GRAND's consistency loss: the passes' average distribution per node, sharpened ({@code p^(1/T)},
     * renormalised) and held constant, is the target each pass's distribution is pulled to; the result is
     * the squared distance summed over classes, averaged over nodes and passes.
     *
     * @param probabilities one (N, C) array of class probabilities per pass
     */
    static NDArray consistencyLoss(List<NDArray> probabilities, double temperature) {
        NDArray mean = probabilities.get(0);
        for (int i = 1; i < probabilities.size(); i++) {
            mean = mean.add(probabilities.get(i));
        }
        NDArray sharp = mean.div(constant(mean, probabilities.size())).pow(constant(mean, 1 / temperature));
        // no gradient through the target: each pass moves toward it, the target does not move toward them
        NDArray target = sharp.div(sharp.sum(new int[] {1}, true)).stopGradient();
        NDArray loss = null;
        for (NDArray p : probabilities) {
            NDArray d = p.sub(target).square().sum(new int[] {1}).mean();
            loss = loss == null ? d : loss.add(d);
        }
        return loss.div(constant(loss, probabilities.size()));
    }

    /**
     * A scalar operand that stays open until the caller's scope closes. DJL's {@code div(Number)} and
     * friends wrap the number in an array over Java memory and close it as soon as the operation returns,
     * while autograd keeps it for the backward pass; after a garbage collection in between, the gradient
     * read freed memory (seen here as seeded runs that differed from one process to the next).
     */
    private static NDArray constant(NDArray like, double value) {
        return like.getManager().create((float) value);
    }

    /** Validation accuracy and loss (eval mode). */
    private static double[] evaluate(Network net, NodeData data) {
        try (NDScope scope = new NDScope()) {
            NDArray logits = net.forward(data.structure, data.features, false);
            NDArray valLogits = logits.get(new NDIndex("{}", data.valIdx));
            float loss = valLogits.logSoftmax(1).mul(data.valOneHot).sum().neg().getFloat()
                    / data.valOneHot.getShape().get(0);
            long[] pred = valLogits.argMax(1).toLongArray();
            int[] nodes = data.val.length > 0 ? data.val : data.train;
            int ok = 0;
            for (int i = 0; i < nodes.length; i++) {
                if (pred[i] == data.labels[nodes[i]]) {
                    ok++;
                }
            }
            scope.suppressNotUsedWarning();
            return new double[] {ok / (double) nodes.length, loss};
        }
    }

    /** Class probabilities for every node, row-major (N × C). */
    public static float[] probabilities(Network net, NodeData data) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return net.forward(data.structure, data.features, false).softmax(1).toFloatArray();
        }
    }

    public static int[] predict(Network net, NodeData data) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            long[] p =
                    net.forward(data.structure, data.features, false).argMax(1).toLongArray();
            int[] out = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                out[i] = (int) p[i];
            }
            return out;
        }
    }

    static double accuracy(int[] pred, int[] labels, int[] nodes) {
        if (nodes.length == 0) {
            return Double.NaN;
        }
        int ok = 0;
        for (int i : nodes) {
            if (pred[i] == labels[i]) {
                ok++;
            }
        }
        return ok / (double) nodes.length;
    }

    /** A training outcome with, when kept, the network and the manager owning its parameters. */
    public record Result(TrainingReport outcome, Network network, NDManager manager) {}
}
