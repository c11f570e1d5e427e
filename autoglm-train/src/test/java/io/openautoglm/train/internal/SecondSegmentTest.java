package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A pair's second text starts on the first text's segment embedding only where that row was never trained. */
class SecondSegmentTest {
    private static final long[] IDS = {2, 5, 7, 3, 4, 9, 1, 6};
    private static final long[] PAIR = {0, 0, 0, 0, 1, 1, 1, 1};

    @Test
    void anUntrainedRowReadsAsTheFirstSegment() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            BertEncoder encoder = tiny(manager, 0.1);
            float[] single = states(encoder, manager, new long[IDS.length]);
            float[] before = states(encoder, manager, PAIR);
            assertNotNull(encoder.seedSecondSegment());
            float[] after = states(encoder, manager, PAIR);
            assertFalse(Arrays.equals(before, after), "the pair's second text reads differently once seeded");
            // token type 0 is the source, not the target: a single text reads as before
            assertArrayEquals(single, states(encoder, manager, new long[IDS.length]));
            assertArrayEquals(single, after, 1e-6f);
        }
    }

    @Test
    void aTrainedRowIsKept() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            BertEncoder encoder = tiny(manager, 0.8);
            float[] table = encoder.parameters()
                    .get("embeddings.token_type_embeddings.weight")
                    .toFloatArray();
            assertNull(encoder.seedSecondSegment());
            assertArrayEquals(
                    table,
                    encoder.parameters()
                            .get("embeddings.token_type_embeddings.weight")
                            .toFloatArray());
        }
    }

    /** The gradient test's tiny encoder in float32, its type-1 row scaled to {@code share} of the type-0 row's norm. */
    private static BertEncoder tiny(NDManager manager, double share) {
        Map<String, double[]> values = EncoderGradientTest.tinyValues(new Random(5));
        double[] types = values.get("embeddings.token_type_embeddings.weight");
        int hidden = types.length / 2;
        double first = 0;
        double second = 0;
        for (int i = 0; i < hidden; i++) {
            first += types[i] * types[i];
            second += types[hidden + i] * types[hidden + i];
        }
        for (int i = 0; i < hidden; i++) {
            types[hidden + i] *= share * Math.sqrt(first / second);
        }
        Map<String, NDArray> params = EncoderGradientTest.arrays(manager, values);
        params.replaceAll((name, p) -> p.toType(DataType.FLOAT32, false));
        return BertEncoder.of(params, 2, 0f);
    }

    private static float[] states(BertEncoder encoder, NDManager m, long[] types) {
        Shape shape = new Shape(1, IDS.length);
        long[] mask = new long[IDS.length];
        Arrays.fill(mask, 1L);
        return encoder.forward(m.create(IDS, shape), m.create(mask, shape), m.create(types, shape), false)
                .toFloatArray();
    }
}
