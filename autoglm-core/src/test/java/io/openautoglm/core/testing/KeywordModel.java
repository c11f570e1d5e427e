package io.openautoglm.core.testing;

import io.openautoglm.core.Failure;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic keyword fake for every task type, so that pipeline and data tests are fast and exact:
 *
 * <ul>
 *   <li>classification: 正面 when the text has 好 in it, else 负面 (score 0.9), whatever the label set, so that a
 *       test can also see how a label outside the set is handled;</li>
 *   <li>semantic matching: a pair matches when its two texts are equal (score 0.5);</li>
 *   <li>entity recognition: an {@code address} entity {@code 北京}, parsed by the task as a generative model's JSON
 *       answer would be (so a text without 北京 gets it as an unaligned mention);</li>
 *   <li>a text with {@code boom} in it is refused: a {@link Failure.Kind#MODEL_REFUSED} outcome with the raw answer
 *       {@code raw refusal}, while the rest of its batch succeeds.</li>
 * </ul>
 *
 * <p>Each batch counts as one call of 10 prompt tokens and 1 completion token per record, costing 0.001. The model
 * counts the records it was sent ({@link #seen()}) and how often it was closed ({@link #closed()}). Opened as
 * {@code fake:<anything>} by {@link KeywordProvider}. Thread-safe.
 *
 * <pre>{@code
 * KeywordModel model = new KeywordModel("fake:keyword");
 * try (TaskPipeline p = TaskPipeline.builder().taskType(TaskType.TEXT_CLASSIFICATION).labels("正面", "负面")
 *         .model(model).build()) {
 *     p.run(Dataset.of(List.of(TextRecord.of("服务好"))));   // 正面
 * }
 * assertEquals(1, model.seen());
 * }</pre>
 */
public final class KeywordModel implements Model {
    private final String name;
    private final AtomicLong seen = new AtomicLong();
    private final AtomicInteger closed = new AtomicInteger();

    /** A model that reports {@code name} as its name. */
    public KeywordModel(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String name() {
        return name;
    }

    /** The records sent to its predictors so far. */
    public long seen() {
        return seen.get();
    }

    /** How often {@link #close()} was called. */
    public int closed() {
        return closed.get();
    }

    @Override
    public Predictor predictor(Task task) {
        return (batch, usage) -> {
            seen.addAndGet(batch.size());
            usage.record(batch.size() * 10L, batch.size(), 0.001);
            return batch.stream().map(r -> predict(task, r)).toList();
        };
    }

    private static Outcome predict(Task task, TextRecord r) {
        if (r.text().contains("boom")) {
            return Outcome.failure(Failure.Kind.MODEL_REFUSED, "model refused", "raw refusal");
        }
        return switch (task.type()) {
            case TEXT_CLASSIFICATION ->
                Outcome.success(new Prediction.Classification(r.text().contains("好") ? "正面" : "负面", 0.9, Map.of()));
            case SEMANTIC_MATCHING ->
                Outcome.success(new Prediction.Match(r.text().equals(r.textB()), 0.5));
            case NAMED_ENTITY_RECOGNITION ->
                Outcome.success(task.parse("{\"entities\":[{\"type\":\"address\",\"mention\":\"北京\"}]}", r));
        };
    }

    @Override
    public void close() {
        closed.incrementAndGet();
    }

    @Override
    public String toString() {
        return "KeywordModel[" + name + "]";
    }
}
