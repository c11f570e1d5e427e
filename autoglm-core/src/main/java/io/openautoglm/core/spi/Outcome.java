package io.openautoglm.core.spi;

import io.openautoglm.core.Prediction;
import java.util.Objects;

/**
 * One record's result from a {@link Predictor}: a prediction, or the reason there is none. {@code raw}
 * keeps a generative model's answer as received (for successes and failures alike), or {@code null}.
 */
public record Outcome(Prediction prediction, String failure, String raw) {

    public Outcome {
        if ((prediction == null) == (failure == null)) {
            throw new IllegalArgumentException("an outcome has either a prediction or a failure reason");
        }
    }

    public static Outcome success(Prediction prediction) {
        return new Outcome(Objects.requireNonNull(prediction, "prediction"), null, null);
    }

    public static Outcome success(Prediction prediction, String raw) {
        return new Outcome(Objects.requireNonNull(prediction, "prediction"), null, raw);
    }

    public static Outcome failure(String reason) {
        return new Outcome(null, Objects.requireNonNull(reason, "reason"), null);
    }

    public static Outcome failure(String reason, String raw) {
        return new Outcome(null, Objects.requireNonNull(reason, "reason"), raw);
    }

    public boolean succeeded() {
        return prediction != null;
    }
}
