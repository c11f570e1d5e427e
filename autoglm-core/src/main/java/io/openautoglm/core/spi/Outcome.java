package io.openautoglm.core.spi;

import io.openautoglm.core.Failure;
import io.openautoglm.core.Prediction;
import java.util.Objects;

/**
 * One record's result from a {@link Predictor}: a prediction, or the {@link Failure} that says why there is
 * none, classified by the predictor that knows the cause (a rate limit, a timeout, an answer it cannot parse).
 * {@code raw} keeps a generative model's answer as received (for successes and failures alike), or {@code null}.
 */
public record Outcome(Prediction prediction, Failure failure, String raw) {

    public Outcome {
        if ((prediction == null) == (failure == null)) {
            throw new IllegalArgumentException("an outcome has either a prediction or a failure");
        }
    }

    public static Outcome success(Prediction prediction) {
        return new Outcome(Objects.requireNonNull(prediction, "prediction"), null, null);
    }

    public static Outcome success(Prediction prediction, String raw) {
        return new Outcome(Objects.requireNonNull(prediction, "prediction"), null, raw);
    }

    /** A failure of the given kind, e.g. {@code Outcome.failure(Failure.Kind.TIMEOUT, "no answer in 60 s")}. */
    public static Outcome failure(Failure.Kind kind, String reason) {
        return new Outcome(null, Failure.of(kind, reason), null);
    }

    /** A failure of the given kind that keeps the model's raw answer. */
    public static Outcome failure(Failure.Kind kind, String reason, String raw) {
        return new Outcome(null, Failure.of(kind, reason), raw);
    }

    public boolean succeeded() {
        return prediction != null;
    }
}
