package io.openautoglm.core;

import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.OptionReader;
import io.openautoglm.core.spi.Predictor;
import io.openautoglm.core.testing.JavadocSamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Core's Javadoc samples, compiled here and checked against the Javadoc (see {@link JavadocSamples}). */
class JavadocSamplesTest {
    private static final Path HERE = Path.of("src/test/java/io/openautoglm/core/JavadocSamplesTest.java");

    @SuppressWarnings("unused") // compiled, not run: it reads a spec file and a source from the working directory
    private static void pipelineSpecSample() {
        // sample: PipelineSpec
        PipelineSpec spec = PipelineSpec.read(Path.of("quickstart.json"));
        try (TaskPipeline pipeline = TaskPipeline.builder().spec(spec).build();
                ResultWriters.Writer out = spec.openSink()) {
            System.out.println(pipeline.run(spec.openSource(), out).summary());
        }
        // end sample
    }

    @Test
    void pipelineSpecShowsTheCompiledSample() {
        JavadocSamples.assertShown(
                Path.of("src/main/java/io/openautoglm/core/PipelineSpec.java"), HERE, "PipelineSpec");
    }

    @SuppressWarnings("unused")
    private static void searchBudgetSample() {
        // sample: SearchBudget
        SearchBudget budget = SearchBudget.builder()
                .maxCandidates(40)
                .maxWallTime(Duration.ofMinutes(5))
                .build();
        // end sample
    }

    @SuppressWarnings("unused")
    private static void modelsSample(TaskSpec spec) {
        // sample: Models
        try (Model model = Models.open("local:bge-small-zh")) {
            Predictor predictor = model.predictor(Task.of(spec));
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void promptTemplateSample(TextRecord record, List<Label> labels) {
        // sample: PromptTemplate
        PromptTemplate t = PromptTemplate.builder("判断{product}评论的情感：{text}\n可选：{labels}\n以 {{\"label\": …}} 回答")
                .field("product")
                .build();
        String prompt = t.render(record, labels, List.of());
        TaskSpec spec = TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .promptTemplate(t)
                .labels("正面", "负面")
                .build();
        // end sample
    }

    @SuppressWarnings("unused")
    private static void failureSample(PipelineResult result) {
        // sample: Failure
        Map<Failure.Kind, Long> byKind = result.failuresByKind(); // e.g. {RATE_LIMITED=2, UNPARSEABLE_ANSWER=1}
        List<TextRecord> retry = result.failures().stream()
                .filter(r -> r.failure().kind() == Failure.Kind.RATE_LIMITED)
                .map(RecordResult::record)
                .toList();
        // end sample
    }

    @SuppressWarnings("unused")
    private static void resultWritersSample(TaskPipeline pipeline, Dataset dataset) {
        // sample: ResultWriters
        try (ResultWriters.Writer out = ResultWriters.jsonl(Path.of("results.jsonl"))) {
            pipeline.run(dataset, out);
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void textNormalizerSample() {
        // sample: TextNormalizer
        TextNormalizer n = TextNormalizer.builder().lowercase(true).build();
        String clean = n.normalize("ＡＢＣ&amp;\u0000  x"); // "abc& x"
        // end sample
    }

    @SuppressWarnings("unused")
    private static void optionReaderSample(Map<String, String> map, boolean badCombination) {
        // sample: OptionReader
        OptionReader options = OptionReader.of("local model option", map).requireKnown(Set.of("maxTokens", "spinning"));
        int maxTokens = options.integer("maxTokens", 256, 8, 8192);
        boolean spinning = options.bool("spinning", false);
        if (badCombination) {
            throw options.invalid("spinning", "needs threads other than 1");
        }
        // end sample
    }

    @Test
    void coreClassesShowTheCompiledSamples() {
        for (String name :
                List.of("SearchBudget", "Models", "PromptTemplate", "Failure", "ResultWriters", "TextNormalizer")) {
            JavadocSamples.assertShown(Path.of("src/main/java/io/openautoglm/core/" + name + ".java"), HERE, name);
        }
        JavadocSamples.assertShown(
                Path.of("src/main/java/io/openautoglm/core/spi/OptionReader.java"), HERE, "OptionReader");
    }
}
