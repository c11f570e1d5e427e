package io.openautoglm.examples;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.data.Columns;
import io.openautoglm.data.DataLoader;
import java.util.List;

/**
 * Semantic matching on the local engine: the similarity threshold is calibrated on 20 labelled question
 * pairs, then new pairs are matched with it.
 *
 * <pre>
 * mvn -B -q -pl examples -am package -DskipTests exec:java -Dexec.mainClass=io.openautoglm.examples.MatchingExample
 * </pre>
 */
public final class MatchingExample {
    private MatchingExample() {}

    public static void main(String[] args) {
        Dataset labelledPairs = DataLoader.fromCsv(ExampleFiles.find("examples/data/question_pairs.csv"))
                .load(Columns.builder()
                        .text("text_a")
                        .textB("text_b")
                        .label("label")
                        .build());
        Dataset questions = Dataset.of(
                "new questions",
                List.of(
                        TextRecord.pair("怎样更改密码", "登录密码怎么修改", null),
                        TextRecord.pair("能开发票吗", "发票在哪里申请", null),
                        TextRecord.pair("怎么注销账号", "怎么注册新账号", null),
                        TextRecord.pair("快递多久到", "快递能不能送到村里", null)));

        try (TaskPipeline pipeline = TaskPipeline.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .model("local:bge-small-zh")
                .examples(labelledPairs)
                .build()) {
            PipelineResult results = pipeline.run(questions);
            for (RecordResult r : results.results()) {
                Prediction.Match m = (Prediction.Match) r.prediction();
                System.out.printf(
                        "%-5s %.2f  %s | %s%n",
                        m.matched() ? "same" : "diff",
                        m.score(),
                        r.record().text(),
                        r.record().textB());
            }
            System.out.println(results.summary());
        }
    }
}
