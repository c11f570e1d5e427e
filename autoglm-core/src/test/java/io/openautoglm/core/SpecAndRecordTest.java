package io.openautoglm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.spi.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Providers that cannot be created, entity types, invalid records rebuilt, and metrics over failed records. */
class SpecAndRecordTest {
    @Test
    void aProviderThatCannotBeCreatedDoesNotStopTheOthers() {
        assertTrue(Models.providers().stream().noneMatch(p -> p.name().equals("broken")));
        try (Model m = Models.open("fake:keyword")) {
            assertEquals("fake:keyword", m.name());
        }
        // the services file also names a class that does not exist: it is left out too
        Throwable none = assertThrows(Throwable.class, () -> Models.open("nobody:x"));
        assertInstanceOf(AutoGlmException.class, none, none.toString());
        assertTrue(
                none.getMessage().contains("could not be created")
                        && none.getMessage().contains("MissingProvider")
                        && none.getMessage().contains("BrokenProvider"),
                none.getMessage());
    }

    @Test
    void entityTypesAreCheckedLikeLabels() {
        for (List<String> bad : List.of(List.of("PER", ""), List.of("PER", " LOC"), List.of("PER", "PER"))) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> TaskSpec.builder()
                            .taskType(TaskType.NAMED_ENTITY_RECOGNITION)
                            .entityTypes(bad)
                            .build(),
                    bad.toString());
            assertTrue(e.getMessage().startsWith("entityTypes"), e.getMessage());
        }
    }

    @Test
    void anInvalidRecordRebuiltKeepsItsProblem() {
        TextRecord bad = TextRecord.invalid("7", "f.csv:3", "unterminated quote");
        TextRecord relabelled = bad.toBuilder().label("x").build();
        assertEquals("unterminated quote", relabelled.problem());
        assertEquals("x", relabelled.label());
    }

    @Test
    void metricsLeaveFailedRecordsOut() {
        Task cls = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("a", "b")
                .build());
        List<Prediction> predicted = new ArrayList<>();
        predicted.add(new Prediction.Classification("a", 1, Map.of()));
        predicted.add(null);
        Metrics.ClassificationMetrics m = (Metrics.ClassificationMetrics)
                Evaluator.evaluate(cls, List.of(TextRecord.of("x", "a"), TextRecord.of("y", "b")), predicted);
        assertEquals(1, m.evaluated());
        assertEquals(1.0, m.accuracy(), 1e-12);
    }
}
