package io.openautoglm.cuda.internal;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import io.openautoglm.cuda.ConvolutionException;
import java.util.HashMap;
import java.util.Map;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's primary context and the loaded PTX module, shared by every CUDA operator of the
 * process and reference-counted: the driver JIT-compiles the module on load (about a second), so
 * operators share one; the last {@link #release()} unloads it and releases the context.
 *
 * <p>Only long-standing driver functions are called (CUDA 7.0 or older): JCuda's binding resolves
 * symbols lazily, and an unknown one in an older driver would end the JVM, not throw.
 *
 * <p>Thread-safe: acquire and release lock the class; {@link #makeCurrent()} binds the context to the
 * calling thread, which every driver call from a new thread needs.
 */
public final class CudaModule {
    private static final Logger LOG = LoggerFactory.getLogger(CudaModule.class);
    private static CudaModule shared;
    private static int users;
    private static String ptxOverride;

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final Map<String, CUfunction> functions = new HashMap<>();

    private CudaModule() {
        check(cuDeviceGet(device, 0), "cuDeviceGet");
        check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        try {
            check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
            long t0 = System.nanoTime();
            String ptx = ptxOverride != null ? ptxOverride : PtxResource.text();
            check(
                    cuModuleLoadData(module, PtxResource.nulTerminated(ptx)),
                    "cuModuleLoadData(" + (ptxOverride != null ? "override" : PtxResource.NAME) + ")");
            LOG.debug("loaded {} in {} ms", PtxResource.NAME, (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            cuDevicePrimaryCtxRelease(device);
            throw e;
        }
    }

    /**
     * Makes later module loads use another PTX text with the same entries; for kernel experiments in
     * benchmarks only (the library never calls it).
     *
     * @throws IllegalStateException when the module is already loaded
     */
    public static synchronized void overridePtx(String ptx) {
        if (shared != null) {
            throw new IllegalStateException("the CUDA module is already loaded; override the PTX before any operator");
        }
        ptxOverride = ptx;
    }

    /** @return the shared module, loading it on first use */
    public static synchronized CudaModule acquire() {
        if (shared == null) {
            shared = new CudaModule();
        }
        users++;
        return shared;
    }

    /** Drops one reference; the last unloads the module and releases the primary context. */
    public synchronized void release() {
        synchronized (CudaModule.class) {
            if (users <= 0 || shared != this) {
                return;
            }
            if (--users == 0) {
                makeCurrent();
                int rc = cuModuleUnload(module);
                int rc2 = cuDevicePrimaryCtxRelease(device);
                shared = null;
                if (rc != CUresult.CUDA_SUCCESS || rc2 != CUresult.CUDA_SUCCESS) {
                    LOG.warn(
                            "CUDA teardown: cuModuleUnload {}, cuDevicePrimaryCtxRelease {}",
                            CUresult.stringFor(rc),
                            CUresult.stringFor(rc2));
                }
            }
        }
    }

    /** Binds the primary context to the calling thread. */
    public void makeCurrent() {
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /** @return the kernel named {@code entry} */
    public synchronized CUfunction function(String entry) {
        return functions.computeIfAbsent(entry, name -> {
            CUfunction f = new CUfunction();
            check(cuModuleGetFunction(f, module, name), "cuModuleGetFunction(" + name + ")");
            return f;
        });
    }

    /** Throws {@link ConvolutionException} naming the call unless {@code rc} is success. */
    public static void check(int rc, String call) {
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new ConvolutionException(call + " failed: " + CUresult.stringFor(rc) + " (" + rc + ")");
        }
    }
}
