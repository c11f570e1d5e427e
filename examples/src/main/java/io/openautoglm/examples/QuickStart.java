package io.openautoglm.examples;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.data.DataLoader;
import java.nio.file.Path;

/**
 * The quick start: classify the sentiment of Chinese user feedback with the embedded local model, which
 * needs no API key and no network, zero-shot (each text is compared with the label names); print a few records
 * with their gold label beside the prediction, the per-label metrics, and where to go for better accuracy; write
 * the results.
 *
 * <pre>
 * mvn -B -q -pl examples -am package -DskipTests exec:java
 * mvn -B -q -pl examples -am package -DskipTests exec:java -Dexec.args="my_feedback.csv"
 * </pre>
 */
public final class QuickStart {
    private QuickStart() {}

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

            System.out.println("The first records of each label, gold label beside prediction (✗ where they differ):");
            GoldBesidePrediction.print(results.results(), 3, System.out);
            System.out.println();
            System.out.println(results.summary());

            results.metrics().ifPresent(m -> System.out.printf("""
                    Accuracy %.4f zero-shot: the model only compares each text with the label names.
                    For better accuracy, give it labelled examples: FewShotExample trains a classifier on 24 of them
                    (examples/data/feedback_examples.csv) and classifies user_feedback.csv with it:
                      mvn -B -q -pl examples -am package -DskipTests exec:java \
                    -Dexec.mainClass=io.openautoglm.examples.FewShotExample

                    """, ((Metrics.ClassificationMetrics) m).accuracy()));

            Path out = Path.of("target", "quickstart-results.jsonl");
            results.writeJsonl(out);
            System.out.println("Results written to " + out.toAbsolutePath());
        }
    }
}
