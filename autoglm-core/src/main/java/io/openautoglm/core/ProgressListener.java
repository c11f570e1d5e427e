package io.openautoglm.core;

/** Told of progress after each batch, from the thread that delivers results. Must return quickly. */
@FunctionalInterface
public interface ProgressListener {
    void onProgress(Progress progress);
}
