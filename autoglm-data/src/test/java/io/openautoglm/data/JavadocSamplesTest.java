package io.openautoglm.data;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.ErrorMode;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.testing.JavadocSamples;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

    @SuppressWarnings("unused")
    private static void dataLoaderSample(javax.sql.DataSource dataSource, java.time.LocalDate day) {
        // sample: DataLoader
        Dataset reviews = DataLoader.fromCsv(Path.of("reviews.csv")).load("text", "label");

        Dataset gbk = DataLoader.fromCsv(Path.of("old.tsv"))
                .delimiter('\t')
                .charset(Charset.forName("GBK"))
                .header(false)
                .onBadRecord(ErrorMode.COLLECT)
                .load("2", "1"); // without a header, columns are "1", "2", …

        Dataset ner = DataLoader.fromJsonl(Path.of("dev.jsonl"))
                .load(Columns.builder().text("text").entities("entities").build());

        Dataset rows = DataLoader.fromJdbc(dataSource, "SELECT id, body, stars FROM review WHERE day = ?", day)
                .fetchSize(500)
                .load(Columns.builder().id("id").text("body").label("stars").build());

        RowSource edges = DataLoader.fromCsv(Path.of("edges.csv")).rows("src", "dst"); // Row: source, line, values
        // end sample
    }

    @SuppressWarnings("unused")
    private static void rowSample() {
        // sample: Row
        try (RowCursor edges =
                DataLoader.fromCsv(Path.of("edges.csv")).rows("src", "dst").open()) {
            while (edges.hasNext()) {
                Row edge = edges.next();
                String src = edge.get("src"); // "edges.csv", line 2, for the first edge
            }
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void rowSourceSample(Map<String, String> index) {
        // sample: RowSource
        RowSource nodes = DataLoader.fromJsonl(Path.of("nodes.jsonl")).rows("id", "label");
        try (Stream<Row> rows = nodes.stream()) {
            rows.filter(Row::isValid).forEach(row -> index.put(row.get("id"), row.get("label")));
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void columnsSample() {
        // sample: Columns
        Columns columns = Columns.builder()
                .id("id")
                .text("text_a")
                .textB("text_b")
                .label("label")
                .metadata("city", "date")
                .build();
        Dataset pairs = DataLoader.fromCsv(Path.of("pairs.csv")).load(columns);
        // end sample
    }

    @SuppressWarnings("unused")
    private static void datasetSample() {
        // sample: Dataset
        Dataset train = DataLoader.fromCsv(Path.of("train.csv")).load("text", "label");
        try (Stream<TextRecord> records = train.stream()) {
            records.limit(3).forEach(System.out::println);
        }
        // end sample
    }

    @Test
    void dataClassesShowTheCompiledSamples() {
        for (String name : List.of("DataLoader", "Row", "RowSource", "Columns")) {
            JavadocSamples.assertShown(Path.of("src/main/java/io/openautoglm/data/" + name + ".java"), HERE, name);
        }
        JavadocSamples.assertShown(
                Path.of("../autoglm-core/src/main/java/io/openautoglm/core/Dataset.java"), HERE, "Dataset");
    }
}
