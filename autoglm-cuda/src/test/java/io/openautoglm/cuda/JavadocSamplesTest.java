package io.openautoglm.cuda;

import io.openautoglm.core.testing.JavadocSamples;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CUDA module's Javadoc samples, compiled here and checked against the Javadoc (see {@link JavadocSamples}). */
class JavadocSamplesTest {
    private static final Path HERE = Path.of("src/test/java/io/openautoglm/cuda/JavadocSamplesTest.java");

    @SuppressWarnings("unused") // compiled, not run: the unit tests run the operator on both paths
    private static void fusedConv2dBiasReluSample(float[] weights, float[] bias, float[] x) {
        // sample: FusedConv2dBiasRelu
        Conv2dSpec spec = Conv2dSpec.builder()
                .batch(1)
                .inChannels(64)
                .height(56)
                .width(56)
                .outChannels(64)
                .kernel(3, 3)
                .padding(1)
                .build();
        try (FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                .spec(spec)
                .weights(weights)
                .bias(bias)
                .backend(Backend.AUTO)
                .build()) {
            float[] y = op.forward(x); // host arrays in and out

            try (FusedConv2dBiasRelu.Resident r = op.resident()) {
                r.upload(x); // once
                for (int i = 0; i < 100; i++) r.run(); // stays on the device
                r.download(y);
            }
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void backendSample(Conv2dSpec spec, float[] w, float[] b) {
        // sample: Backend
        FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                .spec(spec)
                .weights(w)
                .bias(b)
                .backend(Backend.AUTO) // CUDA when a usable GPU is found, else CPU with one log line
                .build();
        // end sample
    }

    @SuppressWarnings("unused")
    private static void conv2dSpecSample() {
        // sample: Conv2dSpec
        Conv2dSpec spec = Conv2dSpec.builder()
                .batch(1)
                .inChannels(64)
                .height(56)
                .width(56)
                .outChannels(64)
                .kernel(3, 3)
                .stride(1)
                .padding(1) // dilation defaults to 1
                .build();
        int p = spec.outHeight(); // 56
        // end sample
    }

    @Test
    void cudaClassesShowTheCompiledSamples() {
        for (String name : List.of("FusedConv2dBiasRelu", "Backend", "Conv2dSpec")) {
            JavadocSamples.assertShown(Path.of("src/main/java/io/openautoglm/cuda/" + name + ".java"), HERE, name);
        }
    }
}
