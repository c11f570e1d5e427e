package io.openautoglm.local.internal;

import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Deep Java Library's CUDA probe from running when nothing in this JVM asked for a GPU.
 *
 * <p>DJL's HuggingFace tokenizer, like its engines, asks {@code ai.djl.util.cuda.CudaUtils} for the number of GPUs
 * when its native library loads, to choose between CPU and CUDA builds. The probe loads the CUDA runtime
 * ({@code libcudart}) if the system has one and calls {@code cudaGetDeviceCount}; where the runtime is installed
 * without a driver or a GPU, every call logs a "Failed to detect GPU count" warning. {@code CudaUtils} reads the
 * system property {@code ai.djl.util.cuda.fork} once, in its static initialiser, to decide whether to load the
 * runtime: this class sets it only while that initialiser runs, so that DJL loads no CUDA library and counts no
 * GPU in this JVM. (Left set, the property would make DJL fork a JVM for each count; it is cleared at once.)
 *
 * <p>DJL is left alone — it probes as usual — when any of these holds: a GPU was asked for ({@code device=gpu});
 * the application set {@code ai.djl.util.cuda.fork} itself; a CUDA build of the PyTorch natives is on the
 * classpath or named by {@code PYTORCH_FLAVOR}; or DJL's PyTorch engine is present without natives and may download them, when it needs the probe
 * to choose the CUDA or the CPU build. Where something in the JVM ran the probe before (a graph task, say),
 * {@code CudaUtils} is initialised already and this changes nothing.
 */
public final class DjlCudaProbe {
    private static final Logger LOG = LoggerFactory.getLogger(DjlCudaProbe.class);
    private static final String FORK = "ai.djl.util.cuda.fork";
    private static final String CUDA_UTILS = "ai.djl.util.cuda.CudaUtils";
    private static boolean decided;

    private DjlCudaProbe() {}

    /** Called before anything of DJL's loads its natives; decides once per JVM. */
    public static synchronized void keepOffUnlessNeeded(ClassLoader loader, boolean gpuAsked) {
        if (decided || gpuAsked) {
            return; // a GPU run lets DJL probe; a later CPU run then finds CudaUtils initialised either way
        }
        decided = true;
        String reason = needsProbe(loader);
        if (reason != null) {
            LOG.debug("DJL's CUDA probe left on: {}", reason);
            return;
        }
        System.setProperty(FORK, "true");
        try {
            Class.forName(CUDA_UTILS, true, DjlCudaProbe.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.debug("DJL's CudaUtils not initialised: {}", e.toString());
        } finally {
            System.clearProperty(FORK);
        }
        LOG.debug("DJL's CUDA probe kept off (unless it had run already): no GPU asked for");
    }

    /** Why DJL must probe as usual, or {@code null} when it need not. */
    private static String needsProbe(ClassLoader loader) {
        if (System.getProperty(FORK) != null) {
            return FORK + " set by the application";
        }
        String forced = Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR");
        if (forced != null && forced.toLowerCase(Locale.ROOT).startsWith("cu")) {
            return "PYTORCH_FLAVOR=" + forced;
        }
        try {
            String flavor = pytorchFlavor(loader);
            if (flavor != null && flavor.toLowerCase(Locale.ROOT).startsWith("cu")) {
                return "a CUDA build of the PyTorch natives is on the classpath (" + flavor + ")";
            }
            if (flavor == null
                    && loader.getResource("ai/djl/pytorch/engine/PtEngine.class") != null
                    && !Utils.isOfflineMode()) {
                return "DJL's PyTorch engine may download its natives, and picks the CUDA or CPU build by the probe";
            }
            return null;
        } catch (IOException e) {
            return "could not read the PyTorch natives' description on the classpath: " + e;
        }
    }

    /** The {@code flavor} of the first PyTorch native library jar on the classpath, or {@code null} when none. */
    private static String pytorchFlavor(ClassLoader loader) throws IOException {
        Enumeration<URL> found = loader.getResources("native/lib/pytorch.properties");
        while (found.hasMoreElements()) {
            Properties p = new Properties();
            try (InputStream in = found.nextElement().openStream()) {
                p.load(in);
            }
            if (p.getProperty("flavor") != null) {
                return p.getProperty("flavor");
            }
        }
        return null;
    }
}
