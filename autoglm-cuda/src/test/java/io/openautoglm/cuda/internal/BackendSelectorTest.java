package io.openautoglm.cuda.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.cuda.Backend;
import io.openautoglm.cuda.Conv2dSpec;
import io.openautoglm.cuda.ConvolutionException;
import io.openautoglm.cuda.FusedConv2dBiasRelu;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BackendSelectorTest {
    private static final CudaProbe.Result GPU = new CudaProbe.Result(true, null, "Fake GPU", 90, 132, 13000);
    private static final CudaProbe.Result NONE = CudaProbe.Result.unavailable("no driver here (test)");

    @Test
    void autoFallsBackToCpuOnlyWithoutAGpu() {
        assertEquals(Backend.CUDA, BackendSelector.resolve(Backend.AUTO, GPU));
        assertEquals(Backend.CPU, BackendSelector.resolve(Backend.AUTO, NONE));
    }

    @Test
    void cpuIsHonouredEvenWithAGpu() {
        assertEquals(Backend.CPU, BackendSelector.resolve(Backend.CPU, GPU));
        assertEquals(Backend.CPU, BackendSelector.resolve(Backend.CPU, NONE));
    }

    @Test
    void cudaWithoutAGpuFailsWithTheProbesReason() {
        assertEquals(Backend.CUDA, BackendSelector.resolve(Backend.CUDA, GPU));
        ConvolutionException e =
                assertThrows(ConvolutionException.class, () -> BackendSelector.resolve(Backend.CUDA, NONE));
        assertTrue(e.getMessage().contains("no driver here (test)"), e.getMessage());
        assertTrue(e.getMessage().contains("Backend.AUTO"), e.getMessage());
    }

    @Test
    void summaryKeepsTheLineThatNamesTheMissingLibrary() {
        String jcudaMessage = "Error while loading native library \"JCudaDriver-12.0.0-linux-x86_64\"\n"
                + "---(start of nested stack traces)---\n"
                + "java.lang.UnsatisfiedLinkError: no JCudaDriver in java.library.path: /usr/lib\n"
                + "\tat java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2434)\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver.so: libcuda.so.1: cannot open shared object"
                + " file: No such file or directory\n---(end of nested stack traces)---";
        assertEquals(
                "/tmp/libJCudaDriver.so: libcuda.so.1: cannot open shared object file: No such file or directory",
                CudaProbe.summarize(jcudaMessage));
        assertEquals(
                "Could not initialize class jcuda.driver.JCudaDriver",
                CudaProbe.summarize("Could not initialize class jcuda.driver.JCudaDriver"));
    }

    @Test
    void theRealProbeRunsOnceAndExplainsItself() {
        CudaProbe.Result first = CudaProbe.result();
        assertSame(first, CudaProbe.result(), "the probe result is cached");
        assertEquals(first.available(), FusedConv2dBiasRelu.cudaAvailable());
        if (first.available()) {
            assertNull(first.reason());
            assertTrue(first.multiprocessors() > 0);
            assertTrue(first.computeCapability() >= CudaProbe.MIN_CC);
        } else {
            assertNotNull(first.reason());
            assertEquals(
                    first.reason(), FusedConv2dBiasRelu.cudaUnavailableReason().orElseThrow());
            assertTrue(first.describe().startsWith("no CUDA: "));
        }
    }

    @Test
    void withoutLibcudaTheNativesFailToLoadAndAutoRunsOnTheCpu() {
        boolean driverInstalled = CudaProbe.result().available()
                || Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1"))
                || Files.exists(Path.of("/usr/lib64/libcuda.so.1"))
                || Files.exists(Path.of("/usr/local/nvidia/lib64/libcuda.so.1"));
        org.junit.jupiter.api.Assumptions.assumeFalse(
                driverInstalled, "an NVIDIA driver is installed here: the no-driver fallback cannot be observed");
        CudaProbe.Result r = CudaProbe.result();
        assertFalse(r.available());
        assertTrue(r.reason().contains("UnsatisfiedLinkError") && r.reason().contains("libcuda.so.1"), r.reason());
        assertTrue(r.reason().length() < 400, () -> "the reason is one readable line: " + r.reason());
        // A second probe in-process hits NoClassDefFoundError; it must be caught the same way.
        CudaProbe.Result again = CudaProbe.run();
        assertFalse(again.available());
        assertTrue(again.reason().contains("did not load"), again.reason());

        Conv2dSpec s = Conv2dSpec.builder()
                .batch(1)
                .inChannels(1)
                .height(2)
                .width(2)
                .outChannels(1)
                .kernel(1, 1)
                .build();
        try (FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                .spec(s)
                .weights(new float[] {2f})
                .bias(new float[] {1f})
                .build()) {
            assertEquals(Backend.CPU, op.backend());
            assertEquals(7f, op.forward(new float[] {3f, -1f, 0f, 0.5f})[0]);
        }
        ConvolutionException e = assertThrows(
                ConvolutionException.class,
                () -> FusedConv2dBiasRelu.builder()
                        .spec(s)
                        .weights(new float[] {2f})
                        .bias(new float[] {1f})
                        .backend(Backend.CUDA)
                        .build());
        assertTrue(e.getMessage().contains(r.reason()), e.getMessage());
    }
}
