package io.openautoglm.local.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.openautoglm.local.LocalOptions;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The last layer cut to the first token gives the first token's state of the whole graph: the same in float32, and
 * within the int8 graph's own quantisation error in int8; padded batches keep each text's state.
 */
class FirstTokenGraphTest {
    private static final List<String> TEXTS =
            List.of("酒店位置很好，早餐丰富，服务员也很热情。", "房间太小了，隔音差，晚上根本睡不着，不会再来。", "iPhone 15 和 ＡＢＣ公司（北京）的合同下周签。");

    @ParameterizedTest
    @ValueSource(strings = {"local:bge-small-zh-fp32", "local:bge-small-zh"})
    void firstTokenStateMatchesTheWholeGraph(String model) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        DjlCudaProbe.keepOffUnlessNeeded(getClass().getClassLoader(), false);
        ModelLocator.Located located = ModelLocator.locate(model, getClass().getClassLoader());
        LocalOptions options = LocalOptions.fromMap(Map.of("threads", "1"));
        boolean int8 = model.equals("local:bge-small-zh");
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                        .optTokenizerPath(located.tokenizerFile())
                        .optAddSpecialTokens(true)
                        .optMaxLength(512)
                        .optPadding(false)
                        .build();
                OnnxEncoder whole = OnnxEncoder.open(
                        model, located.modelFile(), options, getClass().getClassLoader(), false);
                OnnxEncoder first = OnnxEncoder.open(
                        model, located.modelFile(), options, getClass().getClassLoader(), true)) {
            float[][] alone = new float[TEXTS.size()][];
            for (int t = 0; t < TEXTS.size(); t++) {
                Encoding e = tokenizer.encode(TEXTS.get(t));
                int n = e.getIds().length;
                long[] mask = new long[n];
                Arrays.fill(mask, 1);
                Encoder.Output full = whole.run(e.getIds(), mask, e.getTypeIds(), 1, n);
                Encoder.Output cut = first.run(e.getIds(), mask, e.getTypeIds(), 1, n);
                assertArrayEquals(new long[] {1, n, 512}, full.shape());
                assertArrayEquals(new long[] {1, 1, 512}, cut.shape(), "the cut graph returns the first token only");
                float[] cls = Arrays.copyOf(full.values(), 512);
                if (int8) {
                    // activations after attention are quantised over one token's range instead of the text's
                    assertTrue(cosine(cls, cut.values()) > 0.995, TEXTS.get(t) + ": " + cosine(cls, cut.values()));
                } else {
                    assertEquals(0, maxAbsDifference(cls, cut.values()), 1e-4, TEXTS.get(t));
                }
                alone[t] = cut.values();
            }
            // a padded batch: each row's first token as the text alone gave it
            Encoding a = tokenizer.encode(TEXTS.get(0));
            Encoding b = tokenizer.encode(TEXTS.get(1));
            int width = Math.max(a.getIds().length, b.getIds().length);
            long[] ids = new long[2 * width];
            long[] mask = new long[2 * width];
            long[] types = new long[2 * width];
            System.arraycopy(a.getIds(), 0, ids, 0, a.getIds().length);
            System.arraycopy(b.getIds(), 0, ids, width, b.getIds().length);
            Arrays.fill(mask, 0, a.getIds().length, 1);
            Arrays.fill(mask, width, width + b.getIds().length, 1);
            Encoder.Output batch = first.run(ids, mask, types, 2, width);
            assertArrayEquals(new long[] {2, 1, 512}, batch.shape());
            float[] row0 = Arrays.copyOfRange(batch.values(), 0, 512);
            float[] row1 = Arrays.copyOfRange(batch.values(), 512, 1024);
            if (int8) { // the int8 graph quantises a batch over all its rows, padding included
                assertTrue(cosine(alone[0], row0) > 0.99, "row 0: " + cosine(alone[0], row0));
                assertTrue(cosine(alone[1], row1) > 0.99, "row 1: " + cosine(alone[1], row1));
            } else {
                assertEquals(0, maxAbsDifference(alone[0], row0), 1e-4);
                assertEquals(0, maxAbsDifference(alone[1], row1), 1e-4);
            }
        } finally {
            located.release();
        }
    }

    @org.junit.jupiter.api.Test
    void aGraphItDoesNotKnowIsLeftWhole() {
        // ModelProto { graph { node { input "x" output "y" name "/encoder/layer.0/attention/self/query/MatMul"
        // op_type "MatMul" } } }: a query projection without the residual the rewrite expects
        Protobuf.Writer node = new Protobuf.Writer()
                .string(1, "x")
                .string(1, "w")
                .string(2, "y")
                .string(3, "/encoder/layer.0/attention/self/query/MatMul")
                .string(4, "MatMul");
        Protobuf.Writer graph =
                new Protobuf.Writer().message(1, node).message(12, tokenStates("y", 3)); // (1, 1, 1): rank 3
        byte[] model = new Protobuf.Writer()
                .varint(1, 8)
                .message(7, graph)
                .message(8, new Protobuf.Writer().varint(2, 11)) // opset 11: only the missing residual is wrong
                .toByteArray();
        assertTrue(FirstTokenGraph.rewrite(model).isEmpty());
        assertTrue(FirstTokenGraph.rewrite(new Protobuf.Writer().varint(1, 8).toByteArray())
                .isEmpty());
    }

    @org.junit.jupiter.api.Test
    void aGraphBeforeOpset10OrWithExternalWeightsIsLeftWhole() throws IOException {
        System.setProperty("ai.djl.offline", "true");
        ModelLocator.Located located =
                ModelLocator.locate("local:bge-small-zh", getClass().getClassLoader());
        try {
            byte[] model = java.nio.file.Files.readAllBytes(located.modelFile());
            assertTrue(FirstTokenGraph.rewrite(model).isPresent(), "the shipped int8 graph is rewritten");
            Protobuf.Writer opset9 = new Protobuf.Writer();
            Protobuf.Writer external = new Protobuf.Writer();
            for (Protobuf.Field f : Protobuf.fields(model, 0, model.length)) {
                if (f.number() == 8) { // opset_import: the default domain at 9, where Slice takes attributes
                    opset9.message(8, new Protobuf.Writer().string(1, "").varint(2, 9));
                } else {
                    opset9.copy(model, f);
                }
                if (f.number() == 7) { // graph: one more initializer, its data in a side file
                    Protobuf.Writer graph = new Protobuf.Writer();
                    for (Protobuf.Field g : Protobuf.fields(model, f.span())) {
                        graph.copy(model, g);
                    }
                    graph.message(
                            5,
                            new Protobuf.Writer()
                                    .varint(1, 1)
                                    .varint(2, 1)
                                    .string(8, "w")
                                    .varint(14, 1));
                    external.message(7, graph);
                } else {
                    external.copy(model, f);
                }
            }
            assertTrue(FirstTokenGraph.rewrite(opset9.toByteArray()).isEmpty(), "opset 9");
            assertTrue(FirstTokenGraph.rewrite(external.toByteArray()).isEmpty(), "external data");
            // an output that is not the last layer's token states: of rank 2, or produced before the last layer
            assertTrue(
                    FirstTokenGraph.rewrite(withOutput(model, tokenStates("last_hidden_state", 2)))
                            .isEmpty(),
                    "rank 2");
            assertTrue(
                    FirstTokenGraph.rewrite(withOutput(model, tokenStates("/embeddings/LayerNorm/Add_1_output_0", 3)))
                            .isEmpty(),
                    "produced by the embeddings");
        } finally {
            located.release();
        }
    }

    /** A float ValueInfoProto of the given rank, every dimension 1. */
    private static Protobuf.Writer tokenStates(String name, int rank) {
        Protobuf.Writer shape = new Protobuf.Writer();
        for (int d = 0; d < rank; d++) {
            shape.message(1, new Protobuf.Writer().varint(1, 1));
        }
        Protobuf.Writer tensor = new Protobuf.Writer().varint(1, 1).message(2, shape);
        return new Protobuf.Writer().string(1, name).message(2, new Protobuf.Writer().message(1, tensor));
    }

    /** The model with its graph's output replaced. */
    private static byte[] withOutput(byte[] model, Protobuf.Writer output) {
        Protobuf.Writer out = new Protobuf.Writer();
        for (Protobuf.Field f : Protobuf.fields(model, 0, model.length)) {
            if (f.number() != 7) {
                out.copy(model, f);
                continue;
            }
            Protobuf.Writer graph = new Protobuf.Writer();
            for (Protobuf.Field g : Protobuf.fields(model, f.span())) {
                if (g.number() == 12) {
                    graph.message(12, output);
                } else {
                    graph.copy(model, g);
                }
            }
            out.message(7, graph);
        }
        return out.toByteArray();
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
