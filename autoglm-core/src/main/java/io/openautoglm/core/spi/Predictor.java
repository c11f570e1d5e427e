package io.openautoglm.core.spi;

import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UsageMeter;
import java.util.List;

/**
 * Runs one task on batches of records. Thread-safe: the pipeline calls it from several threads.
 * Records arrive validated and normalised, each with an id: the source's, or its 1-based position in the
 * input when the source has none, so that a predictor can key journals and caches by record.
 */
@FunctionalInterface
public interface Predictor {

    /**
     * Predicts a batch. Returns exactly one {@link Outcome} per record, in the same order: a record that
     * fails (an unparseable answer, a refused request) is a failed outcome, and the rest still succeed.
     * Throwing fails the whole batch, with the exception's message as every record's reason.
     */
    List<Outcome> predict(List<TextRecord> batch, UsageMeter usage);
}
