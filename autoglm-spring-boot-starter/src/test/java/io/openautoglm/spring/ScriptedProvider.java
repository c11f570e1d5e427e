package io.openautoglm.spring;

import io.openautoglm.core.Failure;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.OptionReader;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import io.openautoglm.core.testing.FakeProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code scripted:*} provider for these tests: a classifier that answers 正面 for every record, or fails as
 * {@link #mode} says; {@link #gate} can hold calls until a test lets them go. State is static: tests reset it.
 */
public final class ScriptedProvider extends FakeProvider {
    enum Mode {
        ANSWER,
        FAIL_RECORDS,
        THROW
    }

    static final AtomicReference<Mode> mode = new AtomicReference<>(Mode.ANSWER);
    static final AtomicReference<CountDownLatch> gate = new AtomicReference<>();
    static final AtomicInteger opened = new AtomicInteger();
    static final AtomicInteger closed = new AtomicInteger();
    static final AtomicInteger calls = new AtomicInteger();

    public ScriptedProvider() {
        super("scripted", "test", List.of("scripted:model"), Set.of(), Set.of());
    }

    static void reset() {
        mode.set(Mode.ANSWER);
        gate.set(null);
        opened.set(0);
        closed.set(0);
        calls.set(0);
    }

    @Override
    public boolean supports(String modelName) {
        return modelName != null && modelName.startsWith("scripted:");
    }

    @Override
    protected Model open(String modelName, OptionReader options) {
        opened.incrementAndGet();
        return new Model() {
            @Override
            public String name() {
                return modelName;
            }

            @Override
            public Predictor predictor(Task task) {
                return (batch, usage) -> {
                    calls.incrementAndGet();
                    CountDownLatch g = gate.get();
                    if (g != null) {
                        try {
                            g.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    usage.record(batch.size() * 7L, batch.size() * 2L, 0.5);
                    return switch (mode.get()) {
                        case ANSWER ->
                            batch.stream()
                                    .map(r -> Outcome.success(new Prediction.Classification("正面", 0.9, Map.of())))
                                    .toList();
                        case FAIL_RECORDS ->
                            batch.stream()
                                    .map(r -> Outcome.failure(Failure.Kind.MODEL_ERROR, "HTTP 500"))
                                    .toList();
                        case THROW -> throw new IllegalStateException("backend down");
                    };
                };
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    }
}
