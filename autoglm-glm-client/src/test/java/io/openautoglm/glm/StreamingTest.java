package io.openautoglm.glm;

import static io.openautoglm.glm.TestSupport.KEY;
import static io.openautoglm.glm.TestSupport.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.glm.TestSupport.RecordingSleeper;
import io.openautoglm.glm.testing.GlmTestServer;
import io.openautoglm.glm.testing.GlmTestServer.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamingTest {
    private GlmTestServer server;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void start() {
        server = GlmTestServer.builder()
                .apiKey(KEY)
                .answerer(c -> "streamed answer text")
                .stallTime(Duration.ofMillis(800))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ChatRequest request() {
        return ChatRequest.builder("glm-4.7").user("stream please").build();
    }

    @Test
    void deltasArriveInOrderAndTheLastChunkCarriesUsage() throws Exception {
        List<ChatDelta> deltas = new ArrayList<>();
        try (GlmClient glm = client(server, sleeper).build()) {
            ChatResponse r = glm.chatStream(request(), deltas::add);
            assertEquals("streamed answer text", r.content());
            assertEquals(FinishReason.STOP, r.finishReason());
            assertTrue(r.usage().completionTokens() > 0);
            assertEquals(r.usage(), deltas.get(deltas.size() - 1).usage());
            assertTrue(deltas.get(deltas.size() - 1).isLast());
            assertNull(deltas.get(0).usage(), "only the last chunk has usage");
            StringBuilder joined = new StringBuilder();
            deltas.forEach(d -> joined.append(d.content() == null ? "" : d.content()));
            assertEquals("streamed answer text", joined.toString());
            assertEquals(1, glm.usage().calls());
        }
        RecordedRequest sent = server.takeRequest();
        assertTrue(new ObjectMapper()
                .readTree(sent.getBody().readUtf8())
                .get("stream")
                .asBoolean());
        assertEquals("text/event-stream", sent.getHeader("Accept"));
    }

    @Test
    void aMidStreamNetworkErrorIsSurfacedAsSuch() {
        server.enqueueFault(Fault.STREAM_NETWORK_ERROR);
        try (GlmClient glm = client(server, sleeper).build()) {
            ChatResponse r = glm.chatStream(request(), d -> {});
            assertEquals(FinishReason.NETWORK_ERROR, r.finishReason());
            assertEquals("network_error", r.finishReasonRaw());
            assertFalse(r.finishReason().complete());
            assertEquals("streamed a", r.content());
            assertEquals(1, server.requestCount());
        }
    }

    @Test
    void aStreamCutBeforeDoneAfterContentFailsWithThePartialContent() {
        server.enqueueFault(Fault.STREAM_CUT);
        List<ChatDelta> deltas = new ArrayList<>();
        try (GlmClient glm = client(server, sleeper).build()) {
            GlmNetworkException e =
                    assertThrows(GlmNetworkException.class, () -> glm.chatStream(request(), deltas::add));
            assertTrue(e.getMessage().contains("before [DONE]"), e.getMessage());
            assertEquals("streamed a", e.partialContent());
            assertEquals(1, deltas.size());
            assertEquals(1, server.requestCount(), "content already handed over: not silently repeated");
        }
    }

    @Test
    void aStreamCutBeforeAnyContentIsRetried() throws Exception {
        MockWebServer raw = new MockWebServer();
        raw.enqueue(new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n"));
        raw.enqueue(new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody(": keep-alive comment\nevent: message\nid: 1\nretry: 100\n"
                        + "data: {\"id\":\"s\",\"model\":\"glm-4.7\",\"choices\":[{\"index\":0,\"delta\":"
                        + "{\"role\":\"assistant\",\"reasoning_content\":\"think\"}}]}\n\n"
                        + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
                        + "data: {\"choices\":[{\"index\":0,\"finish_reason\":\"length\",\"delta\":{\"content\":\"lo\"}}],"
                        + "\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2,\"total_tokens\":10}}\n\n"
                        + "data: [DONE]\n\n"));
        raw.start();
        try (GlmClient glm = GlmClient.builder()
                .apiKey(KEY)
                .baseUrl(raw.url("/v4/").toString())
                .sleeper(sleeper)
                .retryPolicy(TestSupport.fastRetries(3))
                .build()) {
            ChatResponse r = glm.chatStream(request(), d -> {});
            assertEquals("Hello", r.content());
            assertEquals("think", r.reasoningContent());
            assertEquals(FinishReason.LENGTH, r.finishReason());
            assertEquals(new TokenUsage(8, 2, 10, 0), r.usage());
            assertEquals(2, raw.getRequestCount());
        } finally {
            raw.shutdown();
        }
    }

    @Test
    void theIdleWatchdogEndsAStreamThatStopsSending() {
        // A stall six times the watchdog, so that a loaded machine cannot blur the two apart, and a watchdog long
        // enough that the first headers arrive within it on a busy machine (it bounds that wait too); not longer,
        // since closing the server waits for its stalled answer.
        try (GlmTestServer stalling = GlmTestServer.builder()
                        .apiKey(KEY)
                        .answerer(c -> "streamed answer text")
                        .stallTime(Duration.ofSeconds(6))
                        .build()
                        .start();
                GlmClient glm = client(stalling, sleeper)
                        .streamIdleTimeout(Duration.ofMillis(1000))
                        .retryPolicy(RetryPolicy.none())
                        .build()) {
            stalling.enqueueFault(Fault.STREAM_STALL);
            long start = System.nanoTime();
            GlmNetworkException e = assertThrows(GlmNetworkException.class, () -> glm.chatStream(request(), d -> {}));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().contains("idle watchdog"), e.getMessage());
            assertTrue(ms < 5_000, "ended by the watchdog, not by the server's end of stream: " + ms + " ms");
        }
    }

    @Test
    void sensitiveAndContextWindowFinishReasonsAreSurfaced() throws Exception {
        MockWebServer raw = new MockWebServer();
        raw.enqueue(new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody(
                        "data: {\"choices\":[{\"index\":0,\"finish_reason\":\"sensitive\",\"delta\":{\"content\":\"\"}}]}\n\n"
                                + "data: [DONE]\n\n"));
        raw.enqueue(new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody("data: {\"choices\":[{\"index\":0,\"finish_reason\":\"model_context_window_exceeded\","
                        + "\"delta\":{\"content\":\"x\"}}]}\n\n"));
        raw.start();
        try (GlmClient glm = GlmClient.builder()
                .apiKey(KEY)
                .baseUrl(raw.url("/v4/").toString())
                .build()) {
            assertEquals(
                    FinishReason.SENSITIVE, glm.chatStream(request(), d -> {}).finishReason());
            assertEquals(
                    FinishReason.MODEL_CONTEXT_WINDOW_EXCEEDED,
                    glm.chatStream(request(), d -> {}).finishReason(),
                    "a finish_reason without [DONE] still ends the stream");
        } finally {
            raw.shutdown();
        }
    }

    @Test
    void anErrorEventInAStreamIsMappedLikeAnHttpError() throws Exception {
        MockWebServer raw = new MockWebServer();
        raw.enqueue(new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody("event: error\ndata: {\"error\":{\"code\":\"1301\",\"message\":\"unsafe\"}}\n\n"));
        raw.start();
        try (GlmClient glm = GlmClient.builder()
                .apiKey(KEY)
                .baseUrl(raw.url("/v4/").toString())
                .build()) {
            assertThrows(ContentFilterException.class, () -> glm.chatStream(request(), d -> {}));
        } finally {
            raw.shutdown();
        }
    }
}
