package io.openautoglm.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every answer is the envelope, with a meaningful status: Spring's own errors too. */
class EnvelopeTest extends ServerTestBase {

    @BeforeEach
    void ready() {
        awaitReady();
    }

    private static void assertError(Answer a, int status, int code) {
        assertEquals(status, a.status(), a.toString());
        assertEquals(code, a.code(), a.toString());
        assertTrue(a.json().has("data") && a.data().isNull(), a.toString());
        assertTrue(a.message().length() > 10, a.toString());
        assertTrue(a.header("Content-Type").startsWith("application/json"), a.toString());
    }

    @Test
    void successAnswersAreTheEnvelopeWithCodeZero() {
        Answer a = get("/api/v1/pipelines", token("user"));
        assertEquals(200, a.status(), a.toString());
        assertEquals(0, a.code());
        assertEquals("ok", a.message());
        assertTrue(a.data().size() >= 3, a.toString());
    }

    @Test
    void anUnknownPathIs404InTheEnvelopeWithOrWithoutAToken() {
        assertError(get("/no/such/path", null), 404, 40400);
        assertError(get("/api/v1/no-such-thing", token("user")), 404, 40400);
        assertError(get("/actuator/env", null), 404, 40400);
    }

    @Test
    void anUnknownPipelineIs404WithItsOwnCodeAndTheKnownNames() {
        Answer a = predict("nope", token("user"), "[{\"text\": \"x\"}]");
        assertError(a, 404, 40401);
        assertTrue(a.message().contains("local"), a.toString());
    }

    @Test
    void malformedJsonIs400() {
        Answer a = post("/api/v1/pipelines/local/predict", token("user"), "{\"records\": [");
        assertError(a, 400, 40000);
        Answer missing = post("/api/v1/pipelines/local/predict", token("user"), "");
        assertError(missing, 400, 40000);
    }

    @Test
    void aFieldOfTheWrongTypeOrAnUnknownFieldIs400WithItsPath() {
        Answer wrongType = predict("local", token("user"), "[{\"text\": {\"a\": 1}}]");
        assertError(wrongType, 400, 40001);
        assertTrue(wrongType.message().startsWith("records[0].text"), wrongType.toString());
        Answer unknown = predict("local", token("user"), "[{\"text\": \"x\"}, {\"txt\": \"y\"}]");
        assertError(unknown, 400, 40001);
        assertTrue(unknown.message().startsWith("records[1].txt: unknown field"), unknown.toString());
        assertTrue(unknown.message().contains("textB"), unknown.toString());
        Answer none = post("/api/v1/pipelines/local/predict", token("user"), "{}");
        assertError(none, 400, 40001);
        assertTrue(none.message().startsWith("records:"), none.toString());
        assertError(predict("local", token("user"), "[]"), 400, 40001);
    }

    @Test
    void aWrongMethodIs405AndAWrongContentTypeIs415() {
        Answer a = get("/api/v1/pipelines/local/predict", token("user"));
        assertError(a, 405, 40500);
        assertTrue(a.message().contains("POST"), a.toString());
        assertNotNull(a.header("Allow"), a.toString());
        Answer text = send(request("/api/v1/pipelines/local/predict", token("user"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));
        assertError(text, 415, 41500);
    }

    @Test
    void aBodyOverTheLimitIs413AndSoIsABatchOverTheLimit() {
        String big = "[{\"text\": \"" + "好".repeat(30_000) + "\"}]"; // 90 KB of UTF-8, over 64KB
        assertError(predict("local", token("user"), big), 413, 41300);
        String chunked = "{\"records\": [{\"text\": \"" + "x".repeat(70_000) + "\"}]}";
        Answer streamed = send(request("/api/v1/pipelines/local/predict", token("user"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(chunked.getBytes()))));
        assertError(streamed, 413, 41300);
        String six = "[" + "{\"text\": \"好\"},".repeat(5) + "{\"text\": \"好\"}]";
        Answer batch = predict("local", token("user"), six);
        assertError(batch, 413, 41301);
        assertTrue(batch.message().contains("autoglm.server.predict.max-records"), batch.toString());
    }
}
