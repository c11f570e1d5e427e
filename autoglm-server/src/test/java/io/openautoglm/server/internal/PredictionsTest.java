package io.openautoglm.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.openautoglm.core.Entity;
import io.openautoglm.core.Failure;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.TextRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each result shape of the predict answer. */
class PredictionsTest {
    private static RecordResult result(String id, Prediction p, Failure f) {
        return new RecordResult(0, TextRecord.builder().id(id).text("t").build(), p, f, null);
    }

    @Test
    void labelsEntitiesMatchesAndFailuresHaveTheirOwnShapes() {
        assertEquals(
                Map.of("id", "1", "label", "正面", "score", 0.8),
                Predictions.one(result("1", new Prediction.Classification("正面", 0.8, Map.of()), null)));
        assertEquals(
                Map.of(
                        "id",
                        "2",
                        "entities",
                        List.of(Map.of("start", 0, "end", 2, "type", "address", "mention", "北京"))),
                Predictions.one(
                        result("2", new Prediction.Entities(List.of(new Entity(0, 2, "address", "北京"))), null)));
        assertEquals(
                Map.of("id", "3", "match", true, "score", 0.91),
                Predictions.one(result("3", new Prediction.Match(true, 0.91), null)));
        assertEquals(
                Map.of("id", "4", "failure", Map.of("kind", "TIMEOUT", "message", "no answer in 60 s")),
                Predictions.one(result("4", null, Failure.of(Failure.Kind.TIMEOUT, "no answer in 60 s"))));
    }
}
