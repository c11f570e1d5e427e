package io.openautoglm.examples;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.data.DataLoader;
import java.nio.file.Path;

/**
 * The quick start: classify the sentiment of Chinese user feedback with the embedded local model, which
 * needs no API key and no network, then print per-label metrics and write the results.
 *
 * <pre>
 * mvn -B -q -pl examples -am package -DskipTests exec:java
 * mvn -B -q -pl examples -am package -DskipTests exec:java -Dexec.args="my_feedback.csv"
 * </pre>
 */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(String[] args) {
        Path file = args.length > 0 ? Path.of(args[0]) : ExampleFiles.find("examples/data/user_feedback.csv");
        Dataset dataset = DataLoader.fromCsv(file).load("text", "label");

        try (TaskPipeline pipeline = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("local:bge-small-zh")
                .promptTemplate("判断以下用户反馈的情感倾向:{text}")
                .labels("正面", "负面", "中性")
                .build()) {
            PipelineResult results = pipeline.run(dataset);

            System.out.println("First predictions:");
            for (RecordResult r : results.results().subList(0, Math.min(5, results.results().size()))) {
                System.out.printf("  %-6s %s%n", r.succeeded()
                        ? ((Prediction.Classification) r.prediction()).label() : "FAILED", r.record().text());
            }
            System.out.println();
            System.out.println(results.summary());

            Path out = Path.of("target", "quickstart-results.jsonl");
            results.writeJsonl(out);
            System.out.println("Results written to " + out.toAbsolutePath());
        }
    }
}
