package io.openautoglm.examples;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.data.DataLoader;

/**
 * The quick start again, now with 24 labelled examples (8 per label): the local engine trains a
 * logistic-regression head on their embeddings instead of comparing texts with the label names. It prints the
 * same sample of records and the same report as {@link QuickStart}, to compare.
 *
 * <pre>
 * mvn -B -q -pl examples -am package -DskipTests exec:java -Dexec.mainClass=io.openautoglm.examples.FewShotExample
 * </pre>
 */
public final class FewShotExample {
    private FewShotExample() {}

    public static void main(String[] args) {
        Dataset feedback = DataLoader.fromCsv(ExampleFiles.find("examples/data/user_feedback.csv"))
                .load("text", "label");
        Dataset examples = DataLoader.fromCsv(ExampleFiles.find("examples/data/feedback_examples.csv"))
                .load("text", "label");

        try (TaskPipeline pipeline = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("local:bge-small-zh")
                .labels("正面", "负面", "中性")
                .examples(examples)
                .build()) {
            PipelineResult results = pipeline.run(feedback);
            System.out.println("The first records of each label, gold label beside prediction (✗ where they differ):");
            GoldBesidePrediction.print(results.results(), 3, System.out);
            System.out.println();
            System.out.println(results.summary());
        }
    }
}
