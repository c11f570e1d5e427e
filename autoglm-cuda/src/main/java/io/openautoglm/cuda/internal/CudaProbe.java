package io.openautoglm.cuda.internal;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;

/**
 * Finds out once per process whether the CUDA path can run, and why not. Loading JCuda's driver
 * binding throws {@link UnsatisfiedLinkError} where {@code libcuda.so.1} is missing and {@link
 * NoClassDefFoundError} on every later touch, so the probe catches {@link LinkageError} and caches
 * the reason instead of letting each operator rediscover it.
 *
 * <p>Thread-safe: the result is computed under the class's initialisation lock.
 */
public final class CudaProbe {
    /** Compute capability of the PTX target (sm_75): older cards cannot JIT the module. */
    static final int MIN_CC = 75;

    private CudaProbe() {}

    /** What the probe found. {@code reason} is null exactly when {@code available}. */
    public record Result(
            boolean available,
            String reason,
            String deviceName,
            int computeCapability,
            int multiprocessors,
            int driverVersion) {

        /** @return an unavailable result with the given reason */
        public static Result unavailable(String reason) {
            return new Result(false, reason, null, 0, 0, 0);
        }

        /** @return e.g. {@code NVIDIA H200 (sm_90, 132 SMs, driver 13.0)} */
        public String describe() {
            return available
                    ? deviceName + " (sm_" + computeCapability + ", " + multiprocessors + " SMs, driver "
                            + driverVersion / 1000 + "." + driverVersion % 1000 / 10 + ")"
                    : "no CUDA: " + reason;
        }
    }

    private static final class Holder {
        static final Result RESULT = run();
    }

    /** @return the cached result of the first probe in this process */
    public static Result result() {
        return Holder.RESULT;
    }

    static Result run() {
        try {
            int rc = cuInit(0);
            if (rc != CUresult.CUDA_SUCCESS) {
                return Result.unavailable(
                        "cuInit failed with " + CUresult.stringFor(rc) + " (driver present but no usable device?)");
            }
            int[] count = {0};
            rc = cuDeviceGetCount(count);
            if (rc != CUresult.CUDA_SUCCESS || count[0] == 0) {
                return Result.unavailable("no CUDA device visible (cuDeviceGetCount: " + CUresult.stringFor(rc)
                        + ", count " + count[0] + "); check CUDA_VISIBLE_DEVICES");
            }
            CUdevice dev = new CUdevice();
            check(cuDeviceGet(dev, 0), "cuDeviceGet");
            byte[] name = new byte[256];
            check(cuDeviceGetName(name, name.length, dev), "cuDeviceGetName");
            int[] major = {0};
            int[] minor = {0};
            int[] sms = {0};
            int[] version = {0};
            check(
                    cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev),
                    "cuDeviceGetAttribute");
            check(
                    cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev),
                    "cuDeviceGetAttribute");
            check(
                    cuDeviceGetAttribute(sms, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev),
                    "cuDeviceGetAttribute");
            check(cuDriverGetVersion(version), "cuDriverGetVersion");
            int cc = major[0] * 10 + minor[0];
            String deviceName = new String(name, java.nio.charset.StandardCharsets.US_ASCII).trim();
            int nul = deviceName.indexOf('\0');
            if (nul >= 0) {
                deviceName = deviceName.substring(0, nul);
            }
            if (cc < MIN_CC) {
                return Result.unavailable(deviceName + " has compute capability " + major[0] + "." + minor[0]
                        + "; the kernels need 7.5 or newer");
            }
            return new Result(true, null, deviceName, cc, sms[0], version[0]);
        } catch (LinkageError e) {
            return Result.unavailable(
                    "JCuda's driver binding did not load (" + e.getClass().getSimpleName() + ": "
                            + summarize(e.getMessage()) + "); is libcuda.so.1 (the NVIDIA driver) installed?");
        } catch (RuntimeException e) {
            return Result.unavailable("CUDA probe failed: " + e);
        }
    }

    /**
     * JCuda's message carries two nested stack traces; the line that names the missing shared object
     * is the one a user needs.
     */
    static String summarize(String message) {
        if (message == null) {
            return "no message";
        }
        String fallback = message.lines().findFirst().orElse(message);
        return message.lines()
                .filter(l -> l.contains("cannot open shared object") || l.contains("undefined symbol"))
                .map(l -> l.replaceFirst("^java\\.lang\\.UnsatisfiedLinkError: ", "")
                        .trim())
                .reduce((a, b) -> b)
                .orElse(fallback);
    }

    private static void check(int rc, String call) {
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException(call + " returned " + CUresult.stringFor(rc));
        }
    }
}
