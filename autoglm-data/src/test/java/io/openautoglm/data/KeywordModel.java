package io.openautoglm.data;

import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.UnsupportedTaskException;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.util.Map;

/** A test model: 负面 when the text has 差 in it, else 正面. Counts the records it was sent. */
final class KeywordModel implements Model {
    final java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public String name() {
        return "test:keyword";
    }

    @Override
    public Predictor predictor(Task task) {
        if (task.type() != TaskType.TEXT_CLASSIFICATION) {
            throw new UnsupportedTaskException("test:keyword only classifies");
        }
        return (batch, usage) -> {
            seen.addAndGet(batch.size());
            usage.record(batch.size(), 0, 0);
            return batch.stream()
                    .map(r -> Outcome.success(new Prediction.Classification(r.text().contains("差") ? "负面" : "正面",
                            1.0, Map.of())))
                    .toList();
        };
    }

    @Override
    public void close() {
    }
}
