package io.openautoglm.train.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.openautoglm.core.AutoGlmException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks, before any training, that the encoder built from a base model's weights gives what ONNX Runtime gives on
 * the same graph, and settles the one thing the weights do not say: how many attention heads share the width. A base
 * model this encoder does not reproduce is refused with the difference, rather than fine-tuned into something else.
 */
public final class EncoderCheck {
    /** Float32 on two engines: the sums run in another order, so the last digits differ; a wrong head count does not. */
    static final double TOLERANCE = 1e-3;

    private static final String PROBE = "房间很干净，服务热情。The room was clean, 价格 268 元。";

    private EncoderCheck() {}

    public static BertEncoder settled(
            BertEncoder guess, Path onnxModel, HuggingFaceTokenizer tokenizer, NDManager manager, String modelName) {
        Encoding probe = tokenizer.encode(PROBE);
        long[] ids = probe.getIds();
        long[] mask = probe.getAttentionMask();
        long[] types = probe.getTypeIds();
        float[] expected = onnx(onnxModel, ids, mask, types, modelName);
        Set<Integer> candidates = new LinkedHashSet<>();
        for (int width : new int[] {64, 32, 128, 96, 80}) {
            if (guess.hidden() % width == 0) {
                candidates.add(guess.hidden() / width);
            }
        }
        double closest = Double.POSITIVE_INFINITY;
        for (int heads : candidates) {
            BertEncoder encoder = guess.withHeads(heads);
            try (NDManager scratch = manager.newSubManager()) {
                Shape shape = new Shape(1, ids.length);
                float[] got = encoder.forward(
                                scratch.create(ids, shape),
                                scratch.create(mask, shape),
                                scratch.create(types, shape),
                                false)
                        .toFloatArray();
                double worst = 0;
                for (int i = 0; i < got.length; i++) {
                    worst = Math.max(worst, Math.abs(got[i] - expected[i]));
                }
                if (worst <= TOLERANCE) {
                    return encoder;
                }
                closest = Math.min(closest, worst);
            }
        }
        throw new AutoGlmException("The base model " + modelName + " is not a BERT encoder that this trainer "
                + "reproduces: with " + candidates + " attention heads its outputs differ from ONNX Runtime's by at "
                + "least " + closest + " (at most " + TOLERANCE + " is expected). Start from local:bge-small-zh-fp32 "
                + "or another BERT-style float32 ONNX export.");
    }

    /** The last hidden states of the ONNX graph for one text, flattened. */
    private static float[] onnx(Path model, long[] ids, long[] mask, long[] types, String modelName) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions());
                OnnxTensor i = OnnxTensor.createTensor(env, new long[][] {ids});
                OnnxTensor m = OnnxTensor.createTensor(env, new long[][] {mask});
                OnnxTensor t = OnnxTensor.createTensor(env, new long[][] {types})) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", i);
            inputs.put("attention_mask", m);
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", t);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] states = (float[][][]) result.get(0).getValue();
                float[] flat = new float[states[0].length * states[0][0].length];
                for (int r = 0; r < states[0].length; r++) {
                    System.arraycopy(states[0][r], 0, flat, r * states[0][r].length, states[0][r].length);
                }
                return flat;
            }
        } catch (OrtException | ClassCastException e) {
            throw new AutoGlmException(
                    "Could not run the base model " + modelName + " on ONNX Runtime to check the "
                            + "encoder against it: " + e.getMessage(),
                    e);
        }
    }
}
