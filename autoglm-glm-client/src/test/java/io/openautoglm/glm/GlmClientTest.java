package io.openautoglm.glm;

import static io.openautoglm.glm.TestSupport.KEY;
import static io.openautoglm.glm.TestSupport.client;
import static io.openautoglm.glm.TestSupport.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.glm.TestSupport.RecordingSleeper;
import io.openautoglm.glm.testing.GlmTestServer;
import io.openautoglm.glm.testing.GlmTestServer.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GlmClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private GlmTestServer server;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void start() {
        server = GlmTestServer.builder()
                .apiKey(KEY)
                .answerer(c -> "echo:" + c.lastUserMessage())
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void chatSendsTheDocumentedRequestAndReadsTheAnswer() throws Exception {
        PriceTable prices =
                PriceTable.builder("CNY").price("glm-4-plus", 5.0, 10.0).build();
        try (GlmClient glm = client(server, sleeper).priceTable(prices).build()) {
            ChatRequest request = ChatRequest.builder("glm-4-plus")
                    .system("be brief")
                    .user("你好")
                    .temperature(0.3)
                    .topP(0.7)
                    .maxTokens(64)
                    .doSample(false)
                    .stop("END")
                    .jsonObject(true)
                    .requestId("req-42")
                    .userId("user-0001")
                    .thinking("disabled")
                    .extraField("seed", 7)
                    .build();
            ChatResponse r = glm.chat(request);

            RecordedRequest sent = server.takeRequest();
            assertEquals("POST", sent.getMethod());
            assertEquals("/api/paas/v4/chat/completions", sent.getPath());
            assertEquals("Bearer " + KEY, sent.getHeader("Authorization"));
            assertTrue(sent.getHeader("Content-Type").startsWith("application/json"));
            JsonNode body = JSON.readTree(sent.getBody().readUtf8());
            assertEquals("glm-4-plus", body.get("model").asText());
            assertEquals("system", body.get("messages").get(0).get("role").asText());
            assertEquals("你好", body.get("messages").get(1).get("content").asText());
            assertEquals(0.3, body.get("temperature").asDouble());
            assertEquals(0.7, body.get("top_p").asDouble());
            assertEquals(64, body.get("max_tokens").asInt());
            assertFalse(body.get("do_sample").asBoolean());
            assertEquals("END", body.get("stop").get(0).asText());
            assertEquals("json_object", body.get("response_format").get("type").asText());
            assertEquals("req-42", body.get("request_id").asText());
            assertEquals("user-0001", body.get("user_id").asText());
            assertEquals("disabled", body.get("thinking").get("type").asText());
            assertEquals(7, body.get("seed").asInt());
            assertFalse(body.has("stream"));

            assertEquals("echo:你好", r.content());
            assertEquals(FinishReason.STOP, r.finishReason());
            assertEquals("req-42", r.requestId());
            assertEquals("glm-4-plus", r.model());
            assertTrue(r.usage().promptTokens() > 0 && r.usage().completionTokens() > 0);
            double expected = (r.usage().promptTokens() * 5.0 + r.usage().completionTokens() * 10.0) / 1e6;
            assertEquals(expected, r.cost(), 1e-12);
            UsageTotals totals = glm.usage();
            assertEquals(1, totals.calls());
            assertEquals(r.usage().promptTokens(), totals.promptTokens());
            assertEquals(expected, totals.cost(), 1e-12);
        }
    }

    @Test
    void asyncRunsOnTheCallersExecutor() {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "caller-pool"));
        try (GlmClient glm = client(server, sleeper).build()) {
            AtomicReference<String> thread = new AtomicReference<>();
            CompletableFuture<ChatResponse> f = glm.chatAsync(
                    hello(),
                    r -> executor.execute(() -> {
                        thread.set(Thread.currentThread().getName());
                        r.run();
                    }));
            assertEquals("echo:hello", f.join().content());
            assertEquals("caller-pool", thread.get());
            server.enqueueFault(Fault.NO_BALANCE_1113);
            CompletableFuture<ChatResponse> failed = glm.chatAsync(hello());
            RuntimeException e = assertThrows(RuntimeException.class, failed::join);
            assertInstanceOf(InsufficientBalanceException.class, GlmClient.unwrap(e));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void keyAndBaseUrlComeFromTheEnvironment() {
        Map<String, String> env = Map.of(GlmClient.ENV_API_KEY, KEY, GlmClient.ENV_BASE_URL, server.baseUrl());
        try (GlmClient glm = GlmClient.builder().environment(env::get).build()) {
            assertEquals("echo:hello", glm.chat(hello()).content());
        }
        assertEquals("Bearer " + KEY, server.takeRequest().getHeader("Authorization"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> GlmClient.builder().environment(n -> null).build());
        assertTrue(e.getMessage().contains("ZHIPUAI_API_KEY"), e.getMessage());
    }

    @Test
    void plainHttpIsRefusedExceptToLoopbackOrWhenAllowed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> GlmClient.builder()
                        .apiKey(KEY)
                        .baseUrl("http://example.com/api/paas/v4/")
                        .environment(n -> null)
                        .build());
        assertTrue(e.getMessage().contains("example.com") && e.getMessage().contains("allowInsecureHttp"));
        assertFalse(e.getMessage().contains(KEY));
        GlmClient.builder()
                .apiKey(KEY)
                .baseUrl("http://example.com/v4/")
                .allowInsecureHttp(true)
                .build()
                .close();
        GlmClient.builder()
                .apiKey(KEY)
                .baseUrl("http://localhost:1/v4/")
                .build()
                .close();
        GlmClient.builder().apiKey(KEY).baseUrl("http://[::1]:1/v4/").build().close();
        GlmClient.builder()
                .apiKey(KEY)
                .baseUrl("https://open.bigmodel.cn/api/paas/v4/")
                .build()
                .close();
        assertThrows(
                IllegalArgumentException.class,
                () -> GlmClient.builder()
                        .apiKey(KEY)
                        .baseUrl("http://localhost.evil.com/")
                        .build());
    }

    @Test
    void budgetStopsCallsBeforeTheyAreSent() {
        SpendLimit budget = SpendLimit.ofTokens(1);
        try (GlmClient glm = client(server, sleeper).budget(budget).build()) {
            glm.chat(hello());
            assertTrue(budget.exhausted());
            SpendLimitExceededException e = assertThrows(SpendLimitExceededException.class, () -> glm.chat(hello()));
            assertFalse(e.isRetriable());
            assertEquals(1, server.requestCount());
        }
    }

    @Test
    void aStalledAnswerEndsAtTheReadTimeoutAndIsRetried() {
        server.enqueueFault(Fault.STALL, Fault.STALL);
        try (GlmClient glm = client(server, sleeper)
                .readTimeout(Duration.ofMillis(200))
                .retryPolicy(TestSupport.fastRetries(2))
                .build()) {
            GlmNetworkException e = assertThrows(GlmNetworkException.class, () -> glm.chat(hello()));
            assertTrue(e.isRetriable());
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
            assertEquals(2, server.requestCount());
            assertEquals(1, glm.usage().failedCalls());
            assertEquals(1, glm.usage().retries());
        }
    }

    @Test
    void theWholeCallTimeoutBoundsASlowAnswer() {
        GlmTestServer slow =
                GlmTestServer.builder().latency(Duration.ofMillis(600)).build().start();
        try (slow;
                GlmClient glm = GlmClient.builder()
                        .apiKey(KEY)
                        .baseUrl(slow.baseUrl())
                        .readTimeout(Duration.ofMillis(150))
                        .callTimeout(Duration.ofMillis(300))
                        .retryPolicy(RetryPolicy.none())
                        .build()) {
            assertThrows(GlmNetworkException.class, () -> glm.chat(hello()));
        }
    }

    @Test
    void embeddingsAreBatchedWithinTheLimitsAndKeepTheirOrder() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            texts.add("text number " + i);
        }
        try (GlmClient glm = client(server, sleeper).build()) {
            EmbeddingResponse r = glm.embed(new EmbeddingRequest("embedding-3", texts, 256));
            assertEquals(150, r.vectors().size());
            assertEquals(3, r.calls());
            for (int i = 0; i < 150; i++) {
                assertEquals(256, r.vectors().get(i).length);
                assertEquals(i % 64, (int) r.vectors().get(i)[0], "vector " + i + " out of order");
            }
            int[] sizes = new int[3];
            for (int i = 0; i < 3; i++) {
                RecordedRequest sent = server.takeRequest();
                assertEquals("/api/paas/v4/embeddings", sent.getPath());
                JsonNode body = JSON.readTree(sent.getBody().readUtf8());
                assertEquals(256, body.get("dimensions").asInt());
                sizes[i] = body.get("input").size();
            }
            assertEquals(List.of(64, 64, 22), List.of(sizes[0], sizes[1], sizes[2]));
            assertTrue(r.usage().promptTokens() > 0);

            List<String> longTexts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                longTexts.add("字".repeat(3000));
            }
            EmbeddingResponse two = glm.embed(EmbeddingRequest.of("embedding-2", longTexts));
            assertEquals(5, two.vectors().size());
            assertEquals(3, two.calls(), "embedding-2 requests stay under 8K tokens");
        }
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingRequest("embedding-3", List.of("a"), 300));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingRequest("embedding-2", List.of("a"), 2048));
    }

    @Test
    void requestValidationNamesTheFieldAndValue() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ChatRequest.builder("glm-4").user("x").temperature(1.5).build());
        assertEquals("temperature: must be in [0, 1], got 1.5", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> ChatRequest.builder("glm-4").system("x").build());
        assertTrue(e.getMessage().startsWith("messages:"));
        e = assertThrows(
                IllegalArgumentException.class, () -> GlmClient.builder().maxInFlightPerModel(0));
        assertEquals("maxInFlightPerModel: must be at least 1, got 0", e.getMessage());
    }

    @Test
    void responsesWithoutOptionalFieldsAreAccepted() {
        okhttp3.mockwebserver.MockWebServer raw = new okhttp3.mockwebserver.MockWebServer();
        raw.enqueue(new okhttp3.mockwebserver.MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody("{\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":"
                        + "\"function\",\"function\":{\"name\":\"w\",\"arguments\":{\"city\":\"Beijing\"}}}]},"
                        + "\"finish_reason\":\"tool_calls\"}]}"));
        try (GlmClient glm = GlmClient.builder()
                .apiKey(KEY)
                .baseUrl(raw.url("/v4/").toString())
                .build()) {
            ChatResponse r = glm.chat(hello());
            assertEquals("", r.content());
            assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
            assertEquals("{\"city\":\"Beijing\"}", r.toolCalls().get(0).arguments());
            assertNull(r.id());
            assertEquals(TokenUsage.NONE, r.usage());
        } finally {
            try {
                raw.shutdown();
            } catch (java.io.IOException ignored) {
                // best effort
            }
        }
        assertNotNull(FinishReason.of("model_context_window_exceeded"));
        assertEquals(FinishReason.MODEL_CONTEXT_WINDOW_EXCEEDED, FinishReason.of("model_context_window_exceeded"));
        assertEquals(FinishReason.OTHER, FinishReason.of("brand_new"));
    }
}
