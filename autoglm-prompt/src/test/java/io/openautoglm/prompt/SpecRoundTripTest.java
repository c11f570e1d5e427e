package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Entity;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NER demonstrations, saved specs that keep every field, and specs read back from pipelines. */
class SpecRoundTripTest {

    static TextRecord ner(String text, int s, int e, String type) {
        return TextRecord.builder()
                .text(text)
                .entities(List.of(new Entity(s, e, type, text.substring(s, e))))
                .build();
    }

    @Test
    void nerSpecWithDemonstrationsBuildsAndRoundTrips() {
        PromptSpec spec = PromptSpec.builder(TaskType.NAMED_ENTITY_RECOGNITION)
                .entityTypes(List.of("PER", "LOC"))
                .instruction("Find {entity_types} in: {examples}\n{text}")
                .demonstrations(List.of(ner("Alice went to Paris", 0, 5, "PER")))
                .build();
        PromptSpec back = PromptSpec.fromJson(spec.toJson());
        assertEquals(spec, back);
    }

    /** A tiny NER model: every capitalised word is a PER. */
    static final class NerModel implements Model {
        public String name() {
            return "ner-fake";
        }

        public Predictor predictor(Task task) {
            return (batch, usage) -> {
                usage.record(batch.size(), batch.size(), 0);
                List<Outcome> out = new ArrayList<>();
                for (TextRecord r : batch) {
                    List<Entity> es = new ArrayList<>();
                    java.util.regex.Matcher m =
                            java.util.regex.Pattern.compile("[A-Z][a-z]+").matcher(r.text());
                    while (m.find()) {
                        es.add(new Entity(m.start(), m.end(), "PER", m.group()));
                    }
                    out.add(Outcome.success(new Prediction.Entities(es, List.of())));
                }
                return out;
            };
        }

        public void close() {}
    }

    @Test
    void demonstrationSelectionRunsForNer() {
        List<TextRecord> train = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            train.add(ner("Alice met bob " + i, 0, 5, "PER"));
        }
        Dataset dev = Dataset.of("dev", List.of(ner("Carol saw dan", 0, 5, "PER")));
        PromptSpec start = PromptSpec.builder(TaskType.NAMED_ENTITY_RECOGNITION)
                .entityTypes(List.of("PER"))
                .instruction("Find the people.\n{examples}\n{text}")
                .build();
        OptimizationResult r = DemonstrationSelection.builder()
                .model(new NerModel())
                .perClass(2)
                .trials(2)
                .seed(1)
                .build()
                .optimize(start, Dataset.of("train", train), dev, SearchBudget.unlimited());
        assertTrue(r.trajectory().size() > 1);
        PromptSpec shown = r.trajectory().get(1).spec();
        assertFalse(shown.demonstrations().isEmpty());
        assertTrue(
                shown.render(TextRecord.of("Eve")).contains("\"mention\":\"Alice\""),
                "the demonstrations' answers are their entities: " + shown.render(TextRecord.of("Eve")));
    }

    @Test
    void fromPipelineThenNewDemonstrationsReplacesTheOldOnes() {
        PromptSpec spec = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
                .instruction("Classify.\n{examples}\n{text}")
                .label("positive")
                .label("negative")
                .demonstrations(List.of(TextRecord.of("OLDDEMO great", "positive")))
                .build();
        PromptSpec fromPipeline;
        try (TaskPipeline p = spec.pipeline(new FakeModel())) {
            fromPipeline = PromptSpec.from(p);
        }
        PromptSpec changed = fromPipeline.withDemonstrations(List.of(TextRecord.of("NEWDEMO dirty", "negative")));
        String prompt = changed.render(TextRecord.of("x"));
        assertFalse(prompt.contains("OLDDEMO"), prompt);
        assertTrue(prompt.contains("NEWDEMO"), prompt);
    }

    @Test
    void fromCoreSpecWithLiteralJsonBraces() {
        io.openautoglm.core.TaskSpec core = io.openautoglm.core.TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("a", "b")
                .promptTemplate("Reply as {{\"label\": \"...\"}}. Text: {text}")
                .build();
        PromptSpec s = PromptSpec.of(core);
        assertEquals(Task.of(core).renderPrompt(TextRecord.of("hi")), s.render(TextRecord.of("hi")));
        assertTrue(
                s.render(TextRecord.of("hi")).startsWith("Reply as {\"label\": \"...\"}. Text: hi"),
                s.render(TextRecord.of("hi")));
    }

    @Test
    void jsonRoundTripKeepsALoadedDemonstrationsSource() {
        PromptSpec spec = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
                .label("a")
                .label("b")
                .demonstrations(List.of(TextRecord.builder()
                        .text("x y")
                        .label("a")
                        .source("train.csv:3")
                        .build()))
                .build();
        assertEquals(spec, PromptSpec.fromJson(spec.toJson()));
    }

    @Test
    void jsonRoundTripKeepsDemonstrationEntities() {
        TextRecord d = TextRecord.builder()
                .text("Alice went to Paris")
                .label("-")
                .entities(List.of(new Entity(0, 5, "PER", "Alice")))
                .build();
        PromptSpec spec = PromptSpec.builder(TaskType.NAMED_ENTITY_RECOGNITION)
                .entityTypes(List.of("PER"))
                .demonstrations(List.of(d))
                .build();
        assertEquals(
                d.entities(),
                PromptSpec.fromJson(spec.toJson()).demonstrations().get(0).entities());
    }
}
