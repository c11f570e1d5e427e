package io.openautoglm.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Synchronous predictions: every record ends as a result or a typed failure, in input order. */
class PredictTest extends ServerTestBase {

    @BeforeEach
    void ready() {
        awaitReady();
    }

    @Test
    void theLocalModelLabelsEachRecordAndAMissingOrEmptyTextIsATypedFailure() {
        Answer a = predict("local", token("user"), """
                [{"id": "a", "text": "物流很快，包装也很好，非常满意"},
                 {"id": "b"},
                 {"id": "c", "text": "   "},
                 {"id": "a", "text": "重复的编号"},
                 {"text": "客服一直不回复，很失望"}]""");
        assertEquals(200, a.status(), a.toString());
        assertEquals(0, a.code());
        JsonNode results = a.data().get("results");
        assertEquals(5, results.size());
        assertEquals(List.of("a", "b", "c", "a", "5"), ids(results), "input order; no id: the 1-based position");
        assertTrue(Set.of("正面", "负面", "中性").contains(results.get(0).get("label").asText()), a.toString());
        assertTrue(results.get(0).get("score").isNumber(), a.toString());
        assertEquals("INVALID_INPUT", results.get(1).get("failure").get("kind").asText());
        assertEquals(
                "records[1].text: required",
                results.get(1).get("failure").get("message").asText());
        assertEquals("INVALID_INPUT", results.get(2).get("failure").get("kind").asText(), a.toString());
        assertEquals("DUPLICATE_ID", results.get(3).get("failure").get("kind").asText(), a.toString());
        assertTrue(results.get(4).has("label"), a.toString());
        assertEquals(2, a.data().get("succeeded").asInt());
        assertEquals(3, a.data().get("failed").asInt());
        assertTrue(a.data().get("usage").get("calls").asLong() >= 1, a.toString());
    }

    @Test
    void aGlmPipelineAnswersThroughTheTestServerWithTheKeyFromSpringProperties() {
        long before = GLM.answered();
        Answer a = predict("glm", token("user"), """
                [{"id": "1", "text": "服务很好"}, {"id": "2", "text": "太慢了"}, {"id": "3", "text": "糟糕透顶"}]""");
        assertEquals(200, a.status(), a.toString());
        JsonNode results = a.data().get("results");
        assertEquals("正面", results.get(0).get("label").asText(), a.toString());
        assertEquals("负面", results.get(1).get("label").asText(), a.toString());
        assertEquals("MODEL_REFUSED", results.get(2).get("failure").get("kind").asText(), a.toString());
        assertEquals(2, GLM.answered() - before, "two answers paid for; the filtered one was not");
        assertTrue(a.data().get("usage").get("promptTokens").asLong() > 0, a.toString());
    }

    private static List<String> ids(JsonNode results) {
        List<String> ids = new java.util.ArrayList<>();
        results.forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }
}
