package io.openautoglm.spring.internal;

import static io.openautoglm.spring.AutoGlmMetrics.*;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.openautoglm.core.Failure;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.Usage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one pipeline (names in {@link io.openautoglm.spring.AutoGlmMetrics}). Meters are looked up by name
 * and tags, so a pipeline registered again under the same name counts on in the same series. Thread-safe.
 */
public final class PipelineMeters {
    /** OpenTelemetry's advised bucket boundaries for {@code gen_ai.client.token.usage}. */
    private static final double[] TOKEN_BUCKETS = {
        1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
    };

    private final MeterRegistry registry;
    private final Tags pipelineTags;
    private final Tags genAiTags;
    private final AtomicInteger active;

    /**
     * @param active the in-flight count of this pipeline and model, kept by the caller across re-registrations so
     *               that the one gauge of that name and tags keeps reading the live count
     */
    public PipelineMeters(
            MeterRegistry registry, String pipeline, String task, String model, String provider, AtomicInteger active) {
        this.registry = registry;
        this.pipelineTags = Tags.of(TAG_PIPELINE, pipeline, TAG_TASK, task, TAG_MODEL, model);
        this.genAiTags = pipelineTags.and(
                TAG_GEN_AI_MODEL,
                model,
                TAG_GEN_AI_PROVIDER,
                provider,
                TAG_GEN_AI_OPERATION,
                operation(provider, model));
        this.active = active;
        Tags activeTags = Tags.of(TAG_PIPELINE, pipeline, TAG_MODEL, model);
        // a replaced pipeline hands its counter on (AutoGlmPipelines keeps one per pipeline and model): its gauge
        // already reads it, and registering it again would only draw Micrometer's "already registered" warning
        if (registry.find(CALLS_ACTIVE).tags(activeTags).gauge() == null) {
            registry.gauge(CALLS_ACTIVE, activeTags, active, AtomicInteger::get);
        }
        // the success series exist from the start, so that dashboards and alerts see zeros rather than nothing
        recordsProcessed("success");
        recordsProcessed("failure");
    }

    /** OpenTelemetry's operation for a model: GLM chat or embeddings, or a local model's inference. */
    static String operation(String provider, String model) {
        if ("glm".equals(provider)) {
            return model.startsWith("embedding") ? "embeddings" : "chat";
        }
        return "inference";
    }

    void callStarted() {
        active.incrementAndGet();
    }

    void callEnded() {
        active.decrementAndGet();
    }

    /** One finished model call, failed ones too: its duration, tokens and cost. */
    void call(long nanos, String errorType, Usage usage) {
        String outcome = errorType == null ? "success" : "error";
        Tags tags = genAiTags.and(TAG_OUTCOME, outcome, TAG_ERROR_TYPE, errorType == null ? "none" : errorType);
        Timer.builder(OPERATION_DURATION)
                .description("Model calls (one batch each), failed ones included")
                .tags(tags)
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        tokens(tags, "input", "prompt", usage.promptTokens());
        tokens(tags, "output", "completion", usage.completionTokens());
        if (usage.cost() > 0) {
            Counter.builder(COST)
                    .description("Cost of model calls in the price table's currency")
                    .tags(pipelineTags)
                    .register(registry)
                    .increment(usage.cost());
        }
    }

    private void tokens(Tags callTags, String otelType, String type, long count) {
        DistributionSummary.builder(TOKEN_USAGE)
                .description("Tokens per model call")
                .baseUnit("tokens")
                .tags(callTags.and(TAG_GEN_AI_TOKEN_TYPE, otelType))
                .serviceLevelObjectives(TOKEN_BUCKETS)
                .register(registry)
                .record(count);
        Counter.builder(TOKENS)
                .description("Tokens of model calls")
                .baseUnit("tokens")
                .tags(pipelineTags.and("type", type))
                .register(registry)
                .increment(count);
    }

    /** A model call that the open circuit kept from the model. */
    void rejected() {
        Counter.builder(CALLS_REJECTED)
                .description("Model calls not sent because the circuit was open")
                .tags(pipelineTags.and("reason", "circuit_open"))
                .register(registry)
                .increment();
    }

    /** The records of a finished run. */
    public void records(PipelineResult result) {
        recordsProcessed("success").increment(result.succeeded());
        recordsProcessed("failure").increment(result.failed());
        for (Map.Entry<Failure.Kind, Long> e : result.failuresByKind().entrySet()) {
            Counter.builder(RECORDS_FAILED)
                    .description("Failed records by failure kind")
                    .tags(pipelineTags.and("kind", e.getKey().name()))
                    .register(registry)
                    .increment(e.getValue());
        }
    }

    private Counter recordsProcessed(String outcome) {
        return Counter.builder(RECORDS_PROCESSED)
                .description("Records run, by outcome")
                .tags(pipelineTags.and(TAG_OUTCOME, outcome))
                .register(registry);
    }
}
