package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Autograd through a tiny encoder (2 layers, 8 wide, 2 heads, in float64) against central finite differences: every
 * kind of parameter (embedding tables, projections, LayerNorm, feed-forward) gets the gradient the loss really has.
 */
class EncoderGradientTest {
    private static final int VOCAB = 12;
    private static final int HIDDEN = 8;
    private static final int FF = 16;
    /** Two texts of five tokens, the second padded, both with segment 1 tokens. */
    private static final long[] IDS = {2, 5, 7, 3, 0, 4, 9, 1, 0, 0};

    private static final long[] MASK = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    private static final long[] TYPES = {0, 0, 0, 1, 1, 0, 0, 1, 0, 0};

    @Test
    void gradientsMatchFiniteDifferences() {
        Random random = new Random(11);
        Map<String, double[]> values = tinyValues(random);
        double[] probe = gaussian(random, 2 * 5 * HIDDEN); // the loss: a fixed random projection of the states
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> params = arrays(manager, values);
            params.values().forEach(p -> p.setRequiresGradient(true));
            BertEncoder encoder = BertEncoder.of(params, 2, 0f);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(loss(encoder, manager, IDS, MASK, TYPES, probe));
            }
            List<String> checked = List.of(
                    "embeddings.word_embeddings.weight",
                    "embeddings.token_type_embeddings.weight",
                    "embeddings.LayerNorm.weight",
                    "encoder.layer.0.attention.self.query.weight",
                    "encoder.layer.0.attention.self.key.bias",
                    "encoder.layer.1.attention.output.dense.weight",
                    "encoder.layer.1.intermediate.dense.weight",
                    "encoder.layer.1.output.LayerNorm.bias");
            int compared = 0;
            for (String name : checked) {
                double[] grad = params.get(name).getGradient().toDoubleArray();
                double[] v = values.get(name);
                for (int i = 0; i < v.length; i += Math.max(1, v.length / 6)) {
                    double saved = v[i];
                    v[i] = saved + 1e-6;
                    double up = lossValue(values, IDS, MASK, TYPES, probe);
                    v[i] = saved - 1e-6;
                    double down = lossValue(values, IDS, MASK, TYPES, probe);
                    v[i] = saved;
                    double numeric = (up - down) / 2e-6;
                    assertEquals(numeric, grad[i], 1e-6 + 1e-5 * Math.abs(numeric), name + "[" + i + "]");
                    compared++;
                }
            }
            assertTrue(compared > 40, compared + " entries compared");
        }
    }

    /**
     * A garbage collection between the forward and the backward pass leaves the gradients alone. DJL's {@code
     * div(Number)} kept the attention's constant divisor in a Java buffer that the collector could free while autograd
     * still held it, so the backward pass read whatever the memory held next ({@link Scalars}); here the freed memory
     * is refilled with a huge number before the backward pass.
     */
    @Test
    void aGarbageCollectionBetweenForwardAndBackwardLeavesTheGradientsAlone() throws InterruptedException {
        Random random = new Random(3);
        Map<String, double[]> values = tinyValues(random);
        double[] probe = gaussian(random, 2 * 5 * HIDDEN);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> params = arrays(manager, values);
            params.values().forEach(p -> p.setRequiresGradient(true));
            BertEncoder encoder = BertEncoder.of(params, 2, 0f);
            Map<String, double[]> quiet = gradients(encoder, manager, params, probe, false);
            Map<String, double[]> collected = gradients(encoder, manager, params, probe, true);
            quiet.forEach((name, g) -> assertArrayEquals(g, collected.get(name), 0, name));
        }
    }

    private static Map<String, double[]> gradients(
            BertEncoder encoder, NDManager manager, Map<String, NDArray> params, double[] probe, boolean collect)
            throws InterruptedException {
        List<NDArray> refill = List.of();
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss = loss(encoder, manager, IDS, MASK, TYPES, probe);
            if (collect) {
                refill = FreedMemory.collectAndRefill(manager);
            }
            gc.backward(loss);
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        params.forEach((name, p) -> {
            NDArray g = p.getGradient();
            out.put(name, g.toDoubleArray());
            g.subi(g);
        });
        refill.forEach(NDArray::close);
        return out;
    }

    /**
     * The shortened last layer of a [CLS] head gives the first token's state and every parameter's gradient exactly as
     * the whole encoder does, padding included: a head reading only that token cannot tell the two apart.
     */
    @Test
    void firstTokenForwardIsTheFullForwardsFirstToken() {
        Random random = new Random(5);
        Map<String, double[]> values = tinyValues(random);
        double[] probe = gaussian(random, 2 * HIDDEN);
        Shape shape = new Shape(2, 5);
        Map<String, double[]> full = new LinkedHashMap<>();
        Map<String, double[]> first = new LinkedHashMap<>();
        double[][] states = new double[2][];
        for (int run = 0; run < 2; run++) {
            try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                Map<String, NDArray> params = arrays(m, values);
                params.values().forEach(p -> p.setRequiresGradient(true));
                BertEncoder encoder = BertEncoder.of(params, 2, 0f);
                NDArray a = m.create(IDS, shape);
                NDArray b = m.create(MASK, shape);
                NDArray c = m.create(TYPES, shape);
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray cls = run == 0
                            ? encoder.forward(a, b, c, false).get(":, 0:1, :")
                            : encoder.forwardFirstToken(a, b, c, false);
                    assertEquals(new Shape(2, 1, HIDDEN), cls.getShape());
                    states[run] = cls.toDoubleArray();
                    gc.backward(
                            cls.mul(m.create(probe, new Shape(2, 1, HIDDEN))).sum());
                }
                Map<String, double[]> grads = run == 0 ? full : first;
                params.forEach((name, p) -> grads.put(name, p.getGradient().toDoubleArray()));
            }
        }
        assertArrayEquals(states[0], states[1], 1e-12);
        assertEquals(full.keySet(), first.keySet());
        for (String name : full.keySet()) {
            assertArrayEquals(full.get(name), first.get(name), 1e-12, name);
        }
        double queryGradient = 0;
        for (double g : first.get("encoder.layer.1.attention.self.query.weight")) {
            queryGradient += Math.abs(g);
        }
        assertTrue(queryGradient > 1e-6, "the last layer's query is trained: " + queryGradient);
    }

    private static double[] gaussian(Random random, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
        }
        return x;
    }

    private static double lossValue(
            Map<String, double[]> values, long[] ids, long[] mask, long[] types, double[] probe) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            return loss(BertEncoder.of(arrays(manager, values), 2, 0f), manager, ids, mask, types, probe)
                    .getDouble();
        }
    }

    private static NDArray loss(
            BertEncoder encoder, NDManager m, long[] ids, long[] mask, long[] types, double[] probe) {
        Shape shape = new Shape(2, 5);
        NDArray states = encoder.forward(m.create(ids, shape), m.create(mask, shape), m.create(types, shape), false);
        return states.mul(m.create(probe, new Shape(2, 5, HIDDEN))).sum();
    }

    static Map<String, NDArray> arrays(NDManager manager, Map<String, double[]> values) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        values.forEach(
                (name, v) -> out.put(name, manager.create(v, shapeOf(name)).toType(DataType.FLOAT64, false)));
        return out;
    }

    static Map<String, double[]> tinyValues(Random random) {
        Map<String, double[]> v = new LinkedHashMap<>();
        for (String name : names()) {
            double[] x = new double[(int) shapeOf(name).size()];
            boolean gain = name.endsWith("LayerNorm.weight");
            for (int i = 0; i < x.length; i++) {
                x[i] = gain ? 1 + 0.1 * random.nextGaussian() : 0.3 * random.nextGaussian();
            }
            v.put(name, x);
        }
        return v;
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>(List.of(
                "embeddings.word_embeddings.weight",
                "embeddings.position_embeddings.weight",
                "embeddings.token_type_embeddings.weight",
                "embeddings.LayerNorm.weight",
                "embeddings.LayerNorm.bias"));
        for (int l = 0; l < 2; l++) {
            String p = "encoder.layer." + l + ".";
            for (String linear : List.of(
                    "attention.self.query",
                    "attention.self.key",
                    "attention.self.value",
                    "attention.output.dense",
                    "intermediate.dense",
                    "output.dense")) {
                names.add(p + linear + ".weight");
                names.add(p + linear + ".bias");
            }
            for (String norm : List.of("attention.output.LayerNorm", "output.LayerNorm")) {
                names.add(p + norm + ".weight");
                names.add(p + norm + ".bias");
            }
        }
        return names;
    }

    private static Shape shapeOf(String name) {
        if (name.startsWith("embeddings.word")) {
            return new Shape(VOCAB, HIDDEN);
        }
        if (name.startsWith("embeddings.position")) {
            return new Shape(16, HIDDEN);
        }
        if (name.startsWith("embeddings.token_type")) {
            return new Shape(2, HIDDEN);
        }
        boolean bias = name.endsWith(".bias");
        if (name.contains("intermediate.dense")) {
            return bias ? new Shape(FF) : new Shape(HIDDEN, FF);
        }
        if (name.contains("output.dense") && !name.contains("attention")) {
            return bias ? new Shape(HIDDEN) : new Shape(FF, HIDDEN);
        }
        if (name.contains("LayerNorm") || bias) {
            return new Shape(HIDDEN);
        }
        return new Shape(HIDDEN, HIDDEN);
    }
}
