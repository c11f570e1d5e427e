package io.openautoglm.core;

import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.ModelProvider;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.util.List;
import java.util.Map;

/**
 * A test provider for {@code fake:*} models: a keyword classifier ("好" means 正面), a matcher that
 * compares texts, and a tagger that finds the word "北京". Registered through META-INF/services.
 */
public final class FakeModelProvider implements ModelProvider {
    @Override public String name() { return "fake"; }
    @Override public String artifact() { return "io.openautoglm:autoglm-core (tests)"; }
    @Override public boolean supports(String modelName) { return modelName.startsWith("fake:"); }
    @Override public List<String> exampleModels() { return List.of("fake:keyword"); }

    @Override
    public Model open(String modelName, Map<String, String> options) {
        return new FakeModel(modelName);
    }

    /** The model itself; counts how often it was closed. */
    public static final class FakeModel implements Model {
        private final String name;
        volatile int closed;

        public FakeModel(String name) {
            this.name = name;
        }

        @Override public String name() { return name; }

        @Override
        public Predictor predictor(Task task) {
            return (batch, usage) -> {
                usage.record(batch.size() * 10L, batch.size(), 0.001);
                return batch.stream().map(r -> predict(task, r)).toList();
            };
        }

        private static Outcome predict(Task task, TextRecord r) {
            if (r.text().contains("boom")) {
                return Outcome.failure(Failure.Kind.MODEL_REFUSED, "model refused", "raw refusal");
            }
            return switch (task.type()) {
                case TEXT_CLASSIFICATION -> Outcome.success(new Prediction.Classification(
                        r.text().contains("好") ? "正面" : "负面", 0.9, Map.of()));
                case SEMANTIC_MATCHING -> Outcome.success(new Prediction.Match(r.text().equals(r.textB()), 0.5));
                case NAMED_ENTITY_RECOGNITION -> Outcome.success(
                        task.parse("{\"entities\":[{\"type\":\"address\",\"mention\":\"北京\"}]}", r));
            };
        }

        @Override public void close() { closed++; }
    }
}
