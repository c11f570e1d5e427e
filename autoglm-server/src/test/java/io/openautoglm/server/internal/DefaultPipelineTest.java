package io.openautoglm.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.TextRecord;
import io.openautoglm.spring.AutoGlmAutoConfiguration;
import io.openautoglm.spring.AutoGlmPipelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * With no pipeline configured or stored the server serves the quick start on the embedded model; with one, only that.
 */
class DefaultPipelineTest {
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ServerSettings.class)
    @Import({DefaultPipeline.class, PipelineStore.class})
    static class Wiring {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AutoGlmAutoConfiguration.class))
            .withUserConfiguration(Wiring.class)
            .withPropertyValues("autoglm.warm-up=false", "autoglm.server.pipelines-dir=target/no-stored-pipelines");

    @Test
    void noPipelineConfiguredServesTheQuickStartOnTheEmbeddedModel() {
        runner.run(ctx -> {
            AutoGlmPipelines pipelines = ctx.getBean(AutoGlmPipelines.class);
            assertEquals(Set.of("quickstart"), pipelines.names());
            assertEquals("local:bge-small-zh", pipelines.get("quickstart").modelName());
            var r = pipelines.get("quickstart").run(Dataset.of(List.of(TextRecord.of("物流很快，包装也很好"))));
            assertEquals(0, r.failed(), r.toString());
            assertEquals(
                    true,
                    Set.of("正面", "负面", "中性")
                            .contains(((Prediction.Classification)
                                            r.results().get(0).prediction())
                                    .label()));
        });
    }

    @Test
    void aStoredPipelineTurnsTheDefaultOff(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("kept"));
        Files.writeString(dir.resolve("kept").resolve("1.json"), """
                {"version": 1, "task": {"type": "TEXT_CLASSIFICATION", "labels": ["好", "坏"]},
                 "model": {"name": "local:bge-small-zh"}}
                """);
        runner.withPropertyValues("autoglm.server.pipelines-dir=" + dir)
                .run(ctx -> assertEquals(
                        Set.of("kept"), ctx.getBean(AutoGlmPipelines.class).names()));
    }

    @Test
    void aConfiguredPipelineOrTheSwitchTurnsTheDefaultOff() {
        runner.withPropertyValues("autoglm.server.default-pipeline=false")
                .run(ctx -> assertEquals(
                        Set.of(), ctx.getBean(AutoGlmPipelines.class).names()));
    }
}
