package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.local.internal.ModelLocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The float32 weights quantised into the shipped int8 graph give back that graph: the mapping of names and the
 * quantisation scheme are the ones ONNX Runtime used to make it.
 */
class Int8ExportTest {
    @TempDir
    Path dir;

    @Test
    void requantisingTheBaseWeightsReproducesTheShippedInt8Graph() throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        ModelLocator.Located fp32 = ModelLocator.locate("local:bge-small-zh-fp32", loader);
        ModelLocator.Located int8 = ModelLocator.locate("local:bge-small-zh", loader);
        try {
            OnnxWeights floats = OnnxWeights.read(fp32.modelFile());
            OnnxWeights quantised = OnnxWeights.read(int8.modelFile());
            assertTrue(quantised.isQuantized());
            Map<String, float[]> weights = new LinkedHashMap<>();
            for (String name : floats.names()) {
                if (name.startsWith("embeddings.") || name.startsWith("encoder.layer.")) {
                    assertTrue(quantised.holds(name), name + " has no place in the int8 graph");
                    weights.put(name, floats.get(name).values());
                }
            }
            assertEquals(4 * 16 + 5, weights.size(), "4 layers of 16 tensors, 3 tables and the embeddings' LayerNorm");
            Path written = dir.resolve("model.onnx");
            quantised.write(weights, written);

            byte[] shipped = Files.readAllBytes(int8.modelFile());
            byte[] ours = Files.readAllBytes(written);
            assertEquals(shipped.length, ours.length, "only bytes of the same length change");
            long differing = 0;
            int worst = 0;
            for (int i = 0; i < shipped.length; i++) {
                if (shipped[i] != ours[i]) {
                    differing++;
                    worst = Math.max(worst, Math.abs(shipped[i] - ours[i]));
                }
            }
            // scales recomputed in float may differ in their last bits, and a value on a rounding edge by one step
            assertTrue(differing < shipped.length / 1000, differing + " of " + shipped.length + " bytes differ");
            assertTrue(worst <= 1, "a byte moved by " + worst + " steps");
        } finally {
            fp32.release();
            int8.release();
        }
    }
}
