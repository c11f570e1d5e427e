package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.openautoglm.local.internal.ModelLocator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoder, loaded with the float32 bge-small-zh's weights, gives what ONNX Runtime gives on the same tokens. */
class BertImportTest {
    private static final List<String> TEXTS = List.of("房间很干净，服务热情。", "隔壁太吵了，一晚上没睡好！价格还偏贵", "iPhone 15 的屏幕（ＯＬＥＤ）很好");

    private static ModelLocator.Located model;
    private static OnnxWeights weights;

    @BeforeAll
    static void locate() throws Exception {
        model = ModelLocator.locate("local:bge-small-zh-fp32", BertImportTest.class.getClassLoader());
        weights = OnnxWeights.read(model.modelFile());
    }

    @AfterAll
    static void release() {
        model.release();
    }

    @Test
    void namesEveryWeightAsPyTorchDoes() {
        assertTrue(weights.names().contains("encoder.layer.3.attention.self.query.weight"), weights.names()::toString);
        assertTrue(weights.names().contains("encoder.layer.0.output.dense.weight"));
        assertTrue(weights.names().stream().noneMatch(n -> n.startsWith("onnx::")), weights.names()::toString);
        assertEquals(4 + 1 + 4 * 16, weights.names().size()); // 3 tables + LayerNorm's 2, 16 per layer
    }

    @Test
    void reproducesTheOnnxOutputs() throws Exception {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                        .optTokenizerPath(model.tokenizerFile())
                        .optPadding(true)
                        .build();
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Encoding[] enc = tokenizer.batchEncode(TEXTS);
            int rows = enc.length;
            int width = enc[0].getIds().length;
            long[][] ids = new long[rows][];
            long[][] mask = new long[rows][];
            long[][] types = new long[rows][];
            for (int r = 0; r < rows; r++) {
                ids[r] = enc[r].getIds();
                mask[r] = enc[r].getAttentionMask();
                types[r] = enc[r].getTypeIds();
            }
            float[][][] expected = onnx(ids, mask, types);

            BertEncoder encoder = BertEncoder.from(weights, manager, 0.1f);
            assertEquals(4, encoder.layers());
            assertEquals(512, encoder.hidden());
            NDArray out = encoder.forward(
                    manager.create(flat(ids), new Shape(rows, width)),
                    manager.create(flat(mask), new Shape(rows, width)),
                    manager.create(flat(types), new Shape(rows, width)),
                    false);
            float[] got = out.toFloatArray();
            double worst = 0;
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t < width; t++) {
                    if (mask[r][t] == 0) {
                        continue; // padding's states are not used by anyone
                    }
                    for (int h = 0; h < 512; h++) {
                        worst = Math.max(worst, Math.abs(got[(r * width + t) * 512 + h] - expected[r][t][h]));
                    }
                }
            }
            assertTrue(worst <= 1e-4, "max abs difference " + worst);
        }
    }

    @Test
    void theCheckAgainstOnnxRuntimeSettlesTheNumberOfHeads() throws Exception {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                        .optTokenizerPath(model.tokenizerFile())
                        .build();
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            BertEncoder wrong = BertEncoder.from(weights, manager, 0f).withHeads(16); // 32 wide instead of 64
            BertEncoder settled = EncoderCheck.settled(wrong, model.modelFile(), tokenizer, manager, "test");
            assertEquals(8, settled.heads());
        }
    }

    @Test
    void bgesSecondSegmentIsSeededFromTheFirst() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            BertEncoder encoder = BertEncoder.from(weights, manager, 0f);
            double[] norms = encoder.seedSecondSegment();
            // bge learnt from single texts: its type-1 row is still near its random start (0.02 per entry, 512 wide)
            assertTrue(norms != null && norms[1] < 0.3 * norms[0], "norms " + java.util.Arrays.toString(norms));
            float[] rows = encoder.parameters()
                    .get("embeddings.token_type_embeddings.weight")
                    .toFloatArray();
            float[] base =
                    weights.get("embeddings.token_type_embeddings.weight").values();
            for (int i = 0; i < encoder.hidden(); i++) {
                assertEquals(base[i], rows[i], "token type 0 is kept, entry " + i);
                assertEquals(base[i], rows[encoder.hidden() + i], "token type 1 is its copy, entry " + i);
            }
            assertNull(encoder.seedSecondSegment(), "a seeded row is kept");
        }
    }

    @Test
    void writesTunedWeightsBackIntoACopyOfTheGraph(@TempDir Path dir) throws Exception {
        OnnxWeights.Tensor bias = weights.get("encoder.layer.2.output.dense.bias");
        float[] changed = bias.values().clone();
        changed[7] += 1.5f;
        Path copy = dir.resolve("model.onnx");
        weights.write(Map.of("encoder.layer.2.output.dense.bias", changed), copy);
        OnnxWeights back = OnnxWeights.read(copy);
        assertEquals(
                bias.values()[7] + 1.5f,
                back.get("encoder.layer.2.output.dense.bias").values()[7]);
        assertEquals(
                weights.get("encoder.layer.2.output.dense.weight").values()[99],
                back.get("encoder.layer.2.output.dense.weight").values()[99]);
    }

    private static float[][][] onnx(long[][] ids, long[][] mask, long[][] types) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.modelFile().toString(), new OrtSession.SessionOptions());
                OnnxTensor i = OnnxTensor.createTensor(env, ids);
                OnnxTensor m = OnnxTensor.createTensor(env, mask);
                OnnxTensor t = OnnxTensor.createTensor(env, types)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", i);
            inputs.put("attention_mask", m);
            inputs.put("token_type_ids", t);
            try (OrtSession.Result result = session.run(inputs)) {
                return (float[][][]) result.get(0).getValue();
            }
        }
    }

    private static long[] flat(long[][] rows) {
        return java.util.Arrays.stream(rows)
                .flatMapToLong(java.util.Arrays::stream)
                .toArray();
    }
}
