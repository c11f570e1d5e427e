package io.openautoglm.core;

/**
 * What became of one input record: its prediction, or the {@link Failure} (kind and message) that says why it
 * failed. Results come in input order;
 * {@code index} is the record's 0-based position in the dataset.
 *
 * @param index      position in the input
 * @param record     the record as the task saw it (normalised), or as read when it failed before that
 * @param prediction the prediction, or {@code null} when the record failed
 * @param failure    why the record failed (its kind and message), or {@code null} when it succeeded
 * @param raw        a generative model's raw answer, or {@code null}
 */
public record RecordResult(long index, TextRecord record, Prediction prediction, Failure failure, String raw) {

    public RecordResult {
        if ((prediction == null) == (failure == null)) {
            throw new IllegalArgumentException("a result has either a prediction or a failure");
        }
    }

    public boolean succeeded() {
        return prediction != null;
    }

    /** The record's own id, or its 1-based position when the source has no ids. */
    public String id() {
        return record.id() != null ? record.id() : String.valueOf(index + 1);
    }
}
