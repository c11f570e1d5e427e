package io.openautoglm.prompt.internal;

import io.openautoglm.core.TaskType;
import io.openautoglm.core.spi.Model;
import io.openautoglm.prompt.Objective;
import java.time.Clock;
import java.util.Objects;

/**
 * How candidates are scored: on which open model, by which objective, with which pipeline settings, and
 * the clock that wall-time budgets are measured with.
 *
 * @param objective {@code null} for the task's default
 */
public record Scoring(Model model, Objective objective, int batchSize, int concurrency, Clock clock) {
    public Scoring {
        Objects.requireNonNull(
                model,
                "model: set the open model candidates are scored on, e.g. " + "Models.open(\"local:bge-small-zh\")");
        Objects.requireNonNull(clock, "clock");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
    }

    public Objective objectiveFor(TaskType type) {
        return objective != null ? objective : Objective.defaultFor(type);
    }
}
