package io.openautoglm.core;

import java.util.Objects;

/**
 * Why a record failed: a {@link Kind} to group and act on, and the message that says what happened to this
 * record. The kind is set where the failure arises (the pipeline's checks, a task's answer parsing, a model
 * provider's error mapping), so results can be counted or re-run by kind without matching message text.
 *
 * <pre>{@code
 * Map<Failure.Kind, Long> byKind = result.failuresByKind();   // e.g. {RATE_LIMITED=2, UNPARSEABLE_ANSWER=1}
 * List<TextRecord> retry = result.failures().stream()
 *         .filter(r -> r.failure().kind() == Failure.Kind.RATE_LIMITED)
 *         .map(RecordResult::record).toList();
 * }</pre>
 *
 * <p>Immutable.
 *
 * @param kind    the category of the failure
 * @param message what went wrong for this record, for people to read
 */
public record Failure(Kind kind, String message) {

    /** The category of a failure. Whether running the same record again can help is said for each. */
    public enum Kind {
        /**
         * The record cannot be run as it is (unreadable row, empty text, unknown gold label, prompt too long); fix the
         * record, retrying does not help.
         */
        INVALID_INPUT,
        /**
         * The record's id was already used by an earlier record of the run; retrying does not help, give it its own id.
         */
        DUPLICATE_ID,
        /**
         * The model or the provider's content filter refused to answer this record; retrying the same input does not
         * help.
         */
        MODEL_REFUSED,
        /**
         * The provider's rate or concurrency limit was hit, or it was overloaded, and the retries ran out; retrying
         * later, or slower, can help.
         */
        RATE_LIMITED,
        /**
         * The client's own spending limit is spent, so the record was not sent; retrying does not help until the limit
         * is raised.
         */
        SPEND_LIMIT,
        /**
         * The provider account's balance, resource package or plan quota is used up; retrying does not help until it is
         * topped up or renewed.
         */
        QUOTA_EXCEEDED,
        /**
         * The provider refused the credentials or the account may not use this model; retrying does not help until the
         * key or permission is fixed.
         */
        AUTHENTICATION,
        /** No answer came within a timeout (connect, read, whole call, or a silent stream); retrying can help. */
        TIMEOUT,
        /**
         * The record was not run to the end: the run was cancelled, the pipeline closed, or its batch was refused by
         * the executor; running it again can help.
         */
        CANCELLED,
        /**
         * The model answered, but the answer cannot be read as this task's result (no label, bad JSON, a label outside
         * the set); the raw answer is kept; retrying rarely helps, a clearer prompt may.
         */
        UNPARSEABLE_ANSWER,
        /**
         * The model call failed otherwise (a server or network error, a request the provider rejected, an exception in
         * the backend, a wrong number of outcomes or a prediction of the wrong type); the message names the cause, and
         * whether retrying helps depends on it.
         */
        MODEL_ERROR
    }

    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** A failure of the given kind, with its message. */
    public static Failure of(Kind kind, String message) {
        return new Failure(kind, message);
    }

    /** {@code KIND: message}, e.g. {@code RATE_LIMITED: GLM account concurrency limit (HTTP 429, code 1302): …}. */
    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
