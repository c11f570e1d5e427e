package io.openautoglm.train;

/** Hears a training run's progress; called on the training thread, so it should return quickly. */
@FunctionalInterface
public interface TrainingListener {
    void onProgress(TrainingProgress progress);
}
