package io.openautoglm.gnn.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.openautoglm.gnn.Architecture;
import io.openautoglm.gnn.HyperParameters;
import io.openautoglm.gnn.LinkDecoder;
import io.openautoglm.gnn.TrainingReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Trains a graph auto-encoder: a GNN encoder on the train edges, a dot-product or MLP decoder, binary
 * cross-entropy on the train edges against as many freshly sampled negative pairs each epoch, early
 * stopping on validation AUC.
 */
public final class LinkTrainer {
    private LinkTrainer() {}

    /** Embedding width for an architecture: the GAE 32 → 16 shape generalised. */
    public static int embeddingDim(Architecture arch) {
        return Math.max(16, arch.hidden() / 2);
    }

    public static Result train(
            LinkData data,
            Architecture arch,
            HyperParameters hp,
            LinkDecoder decoderKind,
            long seed,
            boolean keep,
            BooleanSupplier stop) {
        if (hp.selfTraining() > 0) {
            throw new IllegalArgumentException("selfTraining " + hp.selfTraining()
                    + " applies to node classification only; link prediction has no unlabelled nodes to pseudo-label");
        }
        if (hp.consistency() > 0) {
            throw new IllegalArgumentException("consistency " + hp.consistency()
                    + " applies to node classification only (it regularises class predictions)");
        }
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) seed);
        data.features.reseed(seed);
        NDManager modelManager = data.manager.newSubManager();
        try {
            int dim = embeddingDim(arch);
            Network net = new Network(modelManager, arch, data.graph.numFeatures(), dim, seed);
            Decoder decoder = new Decoder(modelManager, decoderKind, dim, new Random(seed ^ 0x9e3779b9L));
            List<NDArray> params = new ArrayList<>(net.parameters());
            params.addAll(decoder.params);
            Adam adam = new Adam(modelManager, params, hp.learningRate(), hp.weightDecay());
            Random rnd = new Random(seed * 31 + 7);
            int nPos = data.split.trainSrc().length;
            int n = data.graph.numNodes();
            long start = System.nanoTime();
            long trainNanos = 0;
            double bestAuc = -1;
            int bestEpoch = 0;
            int since = 0;
            float[][] best = null;
            int epoch = 0;
            while (epoch < hp.maxEpochs()) {
                epoch++;
                long t0 = System.nanoTime();
                long[][] neg = sampleNegatives(n, nPos, data, rnd);
                try (NDScope scope = new NDScope()) {
                    NDArray ns = modelManager.create(neg[0]);
                    NDArray nd = modelManager.create(neg[1]);
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray z = net.forward(data.structure, data.features, true);
                        NDArray pos = decoder.score(z, data.trainSrc, data.trainDst);
                        NDArray negs = decoder.score(z, ns, nd);
                        NDArray loss =
                                softplus(pos.neg()).mean().add(softplus(negs).mean());
                        gc.backward(loss);
                    }
                    adam.step();
                    scope.suppressNotUsedWarning();
                }
                trainNanos += System.nanoTime() - t0;
                double auc = evaluate(net, decoder, data, data.split.valPos(), data.split.valNeg())[0];
                if (auc > bestAuc) {
                    bestAuc = auc;
                    bestEpoch = epoch;
                    best = snapshot(params);
                    since = 0;
                } else {
                    since++;
                }
                if (since >= hp.patience() || stop.getAsBoolean()) {
                    break;
                }
            }
            if (best != null) {
                restore(params, best);
            }
            double[] test = evaluate(net, decoder, data, data.split.testPos(), data.split.testNeg());
            TrainingReport outcome = new TrainingReport(
                    bestAuc,
                    Double.NaN,
                    Map.of("auc", test[0], "ap", test[1]),
                    epoch,
                    bestEpoch,
                    trainNanos / 1e9 / epoch,
                    (System.nanoTime() - start) / 1e9,
                    params.stream().mapToLong(NDArray::size).sum());
            if (keep) {
                return new Result(outcome, net, decoder, modelManager);
            }
            modelManager.close();
            return new Result(outcome, null, null, null);
        } catch (RuntimeException e) {
            modelManager.close();
            throw e;
        }
    }

    private static long[][] sampleNegatives(int n, int count, LinkData data, Random rnd) {
        long[][] out = new long[2][count];
        int k = 0;
        while (k < count) {
            int a = rnd.nextInt(n);
            int b = rnd.nextInt(n);
            if (a == b || data.trainKeys.contains(LinkSplit.key(a, b))) {
                continue;
            }
            out[0][k] = a;
            out[1][k] = b;
            k++;
        }
        return out;
    }

    /** {auc, ap} of the pairs under the current weights. */
    static double[] evaluate(Network net, Decoder decoder, LinkData data, int[][] pos, int[][] neg) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray z = net.forward(data.structure, data.features, false);
            float[] p = scores(decoder, z, data.manager, pos);
            float[] q = scores(decoder, z, data.manager, neg);
            return new double[] {Metrics.auc(p, q), Metrics.averagePrecision(p, q)};
        }
    }

    static float[] scores(Decoder decoder, NDArray z, NDManager m, int[][] pairs) {
        return decoder.score(z, m.create(LinkData.toLong(pairs[0])), m.create(LinkData.toLong(pairs[1])))
                .toFloatArray();
    }

    /** log(1 + e^x), stable for large |x|. */
    static NDArray softplus(NDArray x) {
        return Activation.relu(x).add(x.abs().neg().exp().add(1f).log());
    }

    private static float[][] snapshot(List<NDArray> params) {
        float[][] s = new float[params.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = params.get(i).toFloatArray();
        }
        return s;
    }

    private static void restore(List<NDArray> params, float[][] s) {
        for (int i = 0; i < s.length; i++) {
            params.get(i).set(java.nio.FloatBuffer.wrap(s[i]));
        }
    }

    /** Pair scorer: dot product or an MLP on the element-wise product. */
    public static final class Decoder {
        final LinkDecoder kind;
        final List<NDArray> params = new ArrayList<>();
        private NDArray w1;
        private NDArray b1;
        private NDArray w2;

        Decoder(NDManager m, LinkDecoder kind, int dim, Random rnd) {
            this.kind = kind;
            if (kind == LinkDecoder.MLP) {
                w1 = param(m, rnd, dim, dim);
                b1 = m.zeros(new Shape(dim));
                b1.setRequiresGradient(true);
                w2 = param(m, rnd, dim, 1);
                params.add(w1);
                params.add(b1);
                params.add(w2);
            }
        }

        private static NDArray param(NDManager m, Random rnd, int in, int out) {
            double a = Math.sqrt(6.0 / (in + out));
            float[] v = new float[in * out];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((rnd.nextDouble() * 2 - 1) * a);
            }
            NDArray w = m.create(v, new Shape(in, out));
            w.setRequiresGradient(true);
            return w;
        }

        /** Raw scores (logits) of the pairs (src[i], dst[i]). */
        public NDArray score(NDArray z, NDArray src, NDArray dst) {
            NDArray prod = z.get(new NDIndex("{}", src)).mul(z.get(new NDIndex("{}", dst)));
            if (kind == LinkDecoder.DOT) {
                return prod.sum(new int[] {1});
            }
            return Activation.relu(prod.matMul(w1).add(b1)).matMul(w2).reshape(-1);
        }
    }

    /** Outcome with, when kept, the encoder, the decoder and the manager owning them. */
    public record Result(TrainingReport outcome, Network network, Decoder decoder, NDManager manager) {}
}
