package io.openautoglm.cuda.internal;

import io.openautoglm.cuda.Backend;
import io.openautoglm.cuda.ConvolutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the requested {@link Backend} and the probe's result into the one that runs. */
public final class BackendSelector {
    private static final Logger LOG = LoggerFactory.getLogger(BackendSelector.class);
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private BackendSelector() {}

    /**
     * @return {@link Backend#CUDA} or {@link Backend#CPU}
     * @throws ConvolutionException for {@link Backend#CUDA} when the probe found no usable GPU
     */
    public static Backend resolve(Backend requested, CudaProbe.Result probe) {
        switch (requested) {
            case CPU:
                return Backend.CPU;
            case CUDA:
                if (!probe.available()) {
                    throw new ConvolutionException("Backend.CUDA was requested but CUDA is unavailable: "
                            + probe.reason() + ". Use Backend.AUTO to fall back to the CPU path.");
                }
                return Backend.CUDA;
            case AUTO:
                if (probe.available()) {
                    return Backend.CUDA;
                }
                if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                    LOG.info("autoglm-cuda: CUDA unavailable ({}); using the CPU path", probe.reason());
                }
                return Backend.CPU;
            default:
                throw new IllegalArgumentException("unknown backend " + requested);
        }
    }
}
