package io.openautoglm.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.TextRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class AutoGlmAutoConfigurationTest {
    private static final String KEYWORD = """
            {"version": 1, "task": {"type": "TEXT_CLASSIFICATION", "labels": ["正面", "负面"]},
             "model": {"name": "fake:keyword"}}""".replace("\n", " ");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AutoGlmAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        ScriptedProvider.reset();
    }

    @Test
    void eachConfiguredPipelineIsOpenedFromAFileOrInlineJsonAndClosedWithTheContext() throws Exception {
        Path file = Files.writeString(dir.resolve("matching.json"), """
                {"version": 1, "task": {"type": "SEMANTIC_MATCHING"}, "model": {"name": "fake:keyword"}}
                """);
        AutoGlmPipelines[] seen = new AutoGlmPipelines[1];
        runner.withPropertyValues(
                        "autoglm.pipelines.feedback=" + KEYWORD,
                        "autoglm.pipelines.pairs=" + file,
                        "autoglm.warm-up=false")
                .run(ctx -> {
                    assertEquals(null, ctx.getStartupFailure());
                    AutoGlmPipelines pipelines = ctx.getBean(AutoGlmPipelines.class);
                    seen[0] = pipelines;
                    assertEquals(List.of("feedback", "pairs"), List.copyOf(pipelines.names()));
                    var r = pipelines.get("feedback").run(Dataset.of(List.of(TextRecord.of("服务好"))));
                    assertEquals(
                            "正面",
                            ((Prediction.Classification) r.results().get(0).prediction()).label());
                    var m = pipelines.get("pairs").run(Dataset.of(List.of(TextRecord.pair("a", "a", null))));
                    assertTrue(((Prediction.Match) m.results().get(0).prediction()).matched());
                    MeterRegistry meters = ctx.getBean(MeterRegistry.class);
                    assertEquals(
                            1.0,
                            meters.get(AutoGlmMetrics.RECORDS_PROCESSED)
                                    .tags("pipeline", "feedback", "outcome", "success")
                                    .counter()
                                    .count());
                    assertNotNull(meters.find(AutoGlmMetrics.OPERATION_DURATION)
                            .tags("pipeline", "pairs", "task", "SEMANTIC_MATCHING", "model", "fake:keyword")
                            .timer());
                });
        assertEquals(ServedPipeline.State.CLOSED, seen[0].all().isEmpty() ? ServedPipeline.State.CLOSED : null);
        assertTrue(seen[0].names().isEmpty(), "closed with the context");
    }

    @Test
    void aSpecWithProblemsStopsTheApplicationWithEachProblemAndItsPath() {
        runner.withPropertyValues("autoglm.pipelines.bad=" + KEYWORD.replace("\"labels\"", "\"labelz\""))
                .run(ctx -> {
                    Throwable failure = ctx.getStartupFailure();
                    assertNotNull(failure);
                    String all = messages(failure);
                    assertTrue(all.contains("pipeline bad: inline spec"), all);
                    assertTrue(all.contains("$.task"), all);
                });
    }

    @Test
    void anInlineSecretIsRefusedAndItsValueNeverShown() {
        runner.withPropertyValues("autoglm.pipelines.leaky="
                        + KEYWORD.replace(
                                "\"fake:keyword\"", "\"fake:keyword\", \"options\": {\"apiKey\": \"PLANTEDKEYVALUE\"}"))
                .run(ctx -> {
                    String all = messages(ctx.getStartupFailure());
                    assertTrue(all.contains("$.model.options.apiKey"), all);
                    assertFalse(all.contains("PLANTEDKEYVALUE"), all);
                });
    }

    @Test
    void aBadBreakerSettingNamesItsProperty() {
        runner.withPropertyValues("autoglm.circuit-breaker.failure-rate-threshold=0")
                .run(ctx -> {
                    String all = messages(ctx.getStartupFailure());
                    assertTrue(all.contains("autoglm.circuit-breaker.failure-rate-threshold"), all);
                });
    }

    @Test
    void theBreakerSettingsAndTheGlmKeyBindFromProperties() {
        runner.withPropertyValues(
                        "autoglm.circuit-breaker.wait-duration-in-open-state=2s",
                        "autoglm.circuit-breaker.minimum-number-of-calls=3",
                        "autoglm.glm.api-key=PLANTEDKEYVALUE")
                .run(ctx -> {
                    AutoGlmProperties p = ctx.getBean(AutoGlmProperties.class);
                    assertEquals(Duration.ofSeconds(2), p.circuitBreaker().waitDurationInOpenState());
                    assertEquals(3, p.circuitBreaker().minimumNumberOfCalls());
                    assertEquals(20, p.circuitBreaker().slidingWindowSize(), "a default");
                    assertEquals("PLANTEDKEYVALUE", p.glm().apiKey());
                    assertFalse(p.toString().contains("PLANTEDKEYVALUE"), p.toString());
                });
    }

    @Test
    void anOpenCircuitIsDownUnderAutoglmCircuitsWhileThePipelineStaysReadyUnderAutoglm() throws Exception {
        runner.withPropertyValues(
                        "autoglm.pipelines.scripted=" + KEYWORD.replace("fake:keyword", "scripted:model"),
                        "autoglm.circuit-breaker.minimum-number-of-calls=1",
                        "autoglm.circuit-breaker.sliding-window-size=1")
                .run(ctx -> {
                    CompositeHealthContributor health =
                            ctx.getBean("autoglmHealthContributor", CompositeHealthContributor.class);
                    HealthIndicator indicator = (HealthIndicator) health.getContributor("scripted");
                    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (indicator.health().getStatus().equals(Status.OUT_OF_SERVICE)
                            && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    assertEquals(Status.UP, indicator.health().getStatus());
                    assertEquals(
                            "scripted:model", indicator.health().getDetails().get("model"));
                    ScriptedProvider.mode.set(ScriptedProvider.Mode.THROW);
                    ctx.getBean(AutoGlmPipelines.class).get("scripted").run(Dataset.of(List.of(TextRecord.of("x"))));
                    var ready = indicator.health();
                    assertEquals(Status.UP, ready.getStatus(), "still loaded and ready here: readiness stays up");
                    assertEquals("OPEN", ready.getDetails().get("circuit"));
                    CompositeHealthContributor circuits =
                            ctx.getBean("autoglmCircuitsHealthContributor", CompositeHealthContributor.class);
                    var down = ((HealthIndicator) circuits.getContributor("scripted")).health();
                    assertEquals(Status.DOWN, down.getStatus(), "the model is not answering");
                    assertEquals("OPEN", down.getDetails().get("circuit"));
                    long wait = ((Number) down.getDetails().get("retryAfterSeconds")).longValue();
                    assertTrue(wait >= 1 && wait <= 30, "within the default 30 s wait: " + wait);
                    assertTrue(health.iterator().hasNext());
                    assertTrue(circuits.iterator().hasNext());
                });
    }

    @Test
    void bothHealthContributorsAreThereByDefaultAndOnePropertyTurnsThemOff() {
        runner.withPropertyValues("autoglm.pipelines.feedback=" + KEYWORD).run(ctx -> {
            assertTrue(ctx.containsBean("autoglmHealthContributor"));
            assertTrue(ctx.containsBean("autoglmCircuitsHealthContributor"));
        });
        runner.withPropertyValues("autoglm.pipelines.feedback=" + KEYWORD, "management.health.autoglm.enabled=false")
                .run(ctx -> {
                    assertFalse(ctx.containsBean("autoglmHealthContributor"));
                    assertFalse(ctx.containsBean("autoglmCircuitsHealthContributor"));
                    assertTrue(ctx.containsBean("autoGlmPipelines"), "the pipelines themselves stay");
                });
    }

    @Test
    void anApplicationsOwnRegistryReplacesTheStartersOne() {
        runner.withUserConfiguration(OwnRegistry.class)
                .withPropertyValues("autoglm.pipelines.feedback=" + KEYWORD)
                .run(ctx -> {
                    assertSame(OwnRegistry.INSTANCE, ctx.getBean(AutoGlmPipelines.class));
                    assertTrue(OwnRegistry.INSTANCE.names().isEmpty(), "the properties were not applied to it");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRegistry {
        static final AutoGlmPipelines INSTANCE =
                AutoGlmPipelines.builder().warmUp(false).build();

        @Bean
        AutoGlmPipelines ownPipelines() {
            return INSTANCE;
        }
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
