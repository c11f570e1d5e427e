package io.openautoglm.core;

/**
 * Receives results as a pipeline produces them, in input order, from one thread at a time. Use it to
 * stream results of a dataset too large to keep in memory; see {@link ResultWriters} for files.
 */
@FunctionalInterface
public interface ResultSink {
    void accept(RecordResult result);
}
