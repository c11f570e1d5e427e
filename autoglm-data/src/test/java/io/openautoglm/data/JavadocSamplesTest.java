package io.openautoglm.data;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.testing.JavadocSamples;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The samples that need a loader, compiled here: the quick start in {@code TaskPipeline}'s Javadoc (see
 * {@link JavadocSamples}).
 */
class JavadocSamplesTest {
    private static final Path HERE = Path.of("src/test/java/io/openautoglm/data/JavadocSamplesTest.java");

    @SuppressWarnings("unused") // compiled, not run: it needs the local model and a file in the working directory
    private static void taskPipelineSample() {
        // sample: TaskPipeline
        Dataset dataset = DataLoader.fromCsv(Path.of("user_feedback.csv")).load("text", "label");
        try (TaskPipeline pipeline = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("local:bge-small-zh")
                .promptTemplate("判断以下用户反馈的情感倾向:{text}")
                .labels("正面", "负面", "中性")
                .build()) {
            PipelineResult results = pipeline.run(dataset);
            System.out.println(results.summary());
        }
        // end sample
    }

    @Test
    void taskPipelineShowsTheCompiledSample() {
        JavadocSamples.assertShown(
                Path.of("../autoglm-core/src/main/java/io/openautoglm/core/TaskPipeline.java"), HERE, "TaskPipeline");
    }
}
