package io.openautoglm.core;

/**
 * Receives results as a pipeline produces them, in input order, from one thread at a time. Use it to
 * stream results of a dataset too large to keep in memory; see {@link ResultWriters} for files.
 */
@FunctionalInterface
public interface ResultSink {
    void accept(RecordResult result);

    /**
     * Called by the pipeline after each group of results it delivers (a batch, or several that finished together),
     * like {@link #accept} from one thread at a time: a sink that buffers should write out what it holds, so that a
     * run that is killed loses at most the batch being delivered. Does nothing by default.
     */
    default void flush() {}
}
