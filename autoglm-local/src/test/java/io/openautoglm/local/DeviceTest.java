package io.openautoglm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.AutoGlmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code device} option, and that a text task on the CPU touches no GPU: neither DJL's CUDA probe nor ONNX
 * Runtime's CUDA provider. On a machine with the CUDA runtime but no driver, either would log a warning; on one
 * without CUDA the fresh-JVM test still checks that nothing CUDA-related is logged.
 */
class DeviceTest {

    @Test
    void deviceOptionIsCpuGpuOrGpuWithIndex() {
        assertEquals("cpu", LocalOptions.DEFAULTS.device());
        assertFalse(LocalOptions.DEFAULTS.gpu());
        assertEquals(-1, LocalOptions.DEFAULTS.gpuIndex());
        LocalOptions gpu = LocalOptions.fromMap(Map.of("device", " GPU "));
        assertEquals("gpu", gpu.device());
        assertEquals(0, gpu.gpuIndex());
        assertEquals(2, LocalOptions.fromMap(Map.of("device", "gpu:2")).gpuIndex());
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> LocalOptions.fromMap(Map.of("device", "cuda0")));
        assertEquals("local model option device: expected cpu, gpu or gpu:<index>", bad.getMessage());
        IllegalArgumentException built = assertThrows(
                IllegalArgumentException.class,
                () -> LocalOptions.builder().device("tpu").build());
        assertTrue(built.getMessage().startsWith("device") && built.getMessage().contains("tpu"), built.getMessage());
    }

    @Test
    void gpuWithTheCpuBuildOfOnnxRuntimeNamesTheArtifactToAdd() {
        // the test classpath has com.microsoft.onnxruntime:onnxruntime, the CPU build, whatever the machine
        AutoGlmException e = assertThrows(
                AutoGlmException.class, () -> LocalEmbeddings.open("local:bge-small-zh", Map.of("device", "gpu")));
        assertTrue(e.getMessage().contains("com.microsoft.onnxruntime:onnxruntime_gpu"), e.getMessage());
        assertTrue(e.getMessage().contains("device=gpu"), e.getMessage());
    }

    /**
     * The quick start's situation: a fresh JVM started with plain {@code java -cp} and no flags, a text task on the
     * embedded model. Its stderr must not mention CUDA or a GPU, and (on Linux) no CUDA library may be mapped.
     */
    @Test
    void aTextTaskInAFreshJvmProbesNoGpu() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path err = Files.createTempFile("autoglm-device-test", ".err");
        try {
            Process p = new ProcessBuilder(
                            java.toString(), "-cp", System.getProperty("java.class.path"), TextTask.class.getName())
                    .redirectError(err.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the text task did not finish in 2 minutes");
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "stdout: " + out + "\nstderr: " + stderr);
            assertTrue(out.contains("dimension 512"), out);
            List<String> gpuLines = new ArrayList<>();
            for (String line : stderr.split("\n")) {
                if (line.matches("(?i).*(cuda|gpu).*")) {
                    gpuLines.add(line);
                }
            }
            assertEquals(List.of(), gpuLines, "stderr of the text task mentions CUDA or a GPU");
            assertFalse(out.contains("mapped: "), "a CUDA library was loaded: " + out);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** The text task of {@link #aTextTaskInAFreshJvmProbesNoGpu}: embeds two texts, reports CUDA libraries mapped. */
    public static final class TextTask {
        public static void main(String[] args) throws IOException {
            try (LocalEmbeddings bge = LocalEmbeddings.open("local:bge-small-zh")) {
                bge.embed(List.of("房间很干净", "服务很差"));
                System.out.println("dimension " + bge.dimension());
            }
            Path maps = Path.of("/proc/self/maps");
            if (Files.isReadable(maps)) {
                for (String line : Files.readAllLines(maps)) {
                    if (line.contains("libcudart") || line.contains("libcuda.so") || line.contains("providers_cuda")) {
                        System.out.println("mapped: " + line);
                    }
                }
            }
        }
    }
}
