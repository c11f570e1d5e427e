package io.openautoglm.core.spi;

import io.openautoglm.core.Task;
import io.openautoglm.core.UnsupportedTaskException;

/**
 * An open model. Holds native memory, threads or connections until closed. Thread-safe: one model may
 * serve several predictors and pipelines at once.
 */
public interface Model extends AutoCloseable {

    /** The name it was opened with. */
    String name();

    /**
     * Prepares a predictor for a task. Few-shot models train on {@code task.spec().examples()} here and
     * calibrating models calibrate here, so this may take a while.
     *
     * @throws UnsupportedTaskException when this model cannot do the task; the message says which can
     */
    Predictor predictor(Task task);

    @Override
    void close();
}
