package io.openautoglm.cuda.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import jcuda.nvptxcompiler.JNvPTXCompiler;
import jcuda.nvptxcompiler.nvPTXCompilerHandle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed PTX is the one the committed source produces, and it assembles: JCuda ships
 * NVIDIA's PTX assembler (CUDA 12.0) as a library that needs no GPU and no driver.
 */
class PtxResourceTest {
    private static final Path SOURCE = Path.of("src/main/cuda/conv2d_bias_relu.cu");
    private static final Path SCRIPT = Path.of("scripts/gen-ptx.sh");

    @Test
    void committedPtxWasGeneratedFromTheCommittedSource() throws IOException {
        String recorded = PtxResource.recordedSourceSha(PtxResource.text());
        assertEquals(
                sha256(Files.readAllBytes(SOURCE)),
                recorded,
                "conv2d_bias_relu.ptx is stale: run autoglm-cuda/scripts/gen-ptx.sh and commit the result");
    }

    @Test
    void regeneratingWithNvccReproducesTheCommittedPtx(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(onPath("nvcc"), "nvcc is not on the PATH: only the source hash is checked");
        String committed = PtxResource.text();
        String nvccVersion = run(tmp, "nvcc", "--version");
        String release = nvccVersion
                .lines()
                .filter(l -> l.contains("release"))
                .findFirst()
                .orElse("?");
        Assumptions.assumeTrue(
                committed.contains(release.trim()),
                "the committed PTX came from another nvcc than '" + release.trim() + "': output may differ");
        Path out = tmp.resolve("regen.ptx");
        run(tmp, "bash", SCRIPT.toAbsolutePath().toString(), out.toString());
        assertEquals(
                committed,
                Files.readString(out, StandardCharsets.US_ASCII),
                "scripts/gen-ptx.sh no longer produces the committed PTX: regenerate and commit it");
    }

    @Test
    void everyKernelTheJavaSideLaunchesIsInThePtx() {
        String ptx = PtxResource.text();
        for (TileConfig c : TileConfig.values()) {
            assertTrue(ptx.contains(".entry " + c.fusedEntry() + "("), c.fusedEntry());
            assertTrue(ptx.contains(".entry " + c.linearEntry() + "("), c.linearEntry());
        }
        assertTrue(ptx.contains(".entry relu_inplace("));
        assertTrue(ptx.contains(".target sm_75"), "the PTX targets the lowest virtual architecture");
    }

    @Test
    void theArithmeticIsExplicitFmaOnly() {
        String ptx = PtxResource.text();
        // fma.rn.f32 is the kernels' fmaf; a mad.f32 or a contracted mul+add would break bit-exactness.
        assertTrue(ptx.contains("fma.rn.f32"), "no fma.rn.f32 in the PTX");
        assertTrue(!ptx.contains("mad.f32") && !ptx.contains("mad.rn.f32"), "unexpected mad.f32");
        assertTrue(!ptx.contains(".ftz"), "flush-to-zero would differ from Java");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sm_75", "sm_80", "sm_86", "sm_89", "sm_90"})
    void committedPtxAssemblesWithJcudasPtxCompiler(String arch) {
        String log = assemble(PtxResource.text(), arch);
        assertEquals("", log, "ptxas errors for " + arch);
    }

    @Test
    void theAssemblerCheckCanFail() {
        // The same PTX with nvcc 13's own ISA stamp is refused by CUDA 12.0's assembler: proof that the
        // check above would catch a wrong stamp, and the reason gen-ptx.sh restamps.
        String restamped = PtxResource.text().replaceFirst("(?m)^\\.version .*$", ".version 9.0");
        assertNotEquals(PtxResource.text(), restamped);
        String log = assemble(restamped, "sm_90");
        assertTrue(log.contains("version"), "expected a version error, got: " + log);
    }

    /** @return the error log, empty on success */
    private static String assemble(String ptx, String arch) {
        JNvPTXCompiler.setExceptionsEnabled(false);
        nvPTXCompilerHandle h = new nvPTXCompilerHandle();
        byte[] code = PtxResource.nulTerminated(ptx);
        int rc = JNvPTXCompiler.nvPTXCompilerCreate(h, code.length, code);
        assertEquals(0, rc, "nvPTXCompilerCreate");
        try {
            rc = JNvPTXCompiler.nvPTXCompilerCompile(h, 1, new String[] {"--gpu-name=" + arch});
            long[] size = {0};
            JNvPTXCompiler.nvPTXCompilerGetErrorLogSize(h, size);
            byte[] log = new byte[(int) size[0]];
            JNvPTXCompiler.nvPTXCompilerGetErrorLog(h, log);
            String text =
                    new String(log, StandardCharsets.UTF_8).replace("\0", "").trim();
            if (rc != 0 && text.isEmpty()) {
                return "nvPTXCompilerCompile returned " + rc;
            }
            if (rc == 0) {
                JNvPTXCompiler.nvPTXCompilerGetCompiledProgramSize(h, size);
                assertTrue(size[0] > 0, "empty cubin");
            }
            return text;
        } finally {
            JNvPTXCompiler.nvPTXCompilerDestroy(h);
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }
}
