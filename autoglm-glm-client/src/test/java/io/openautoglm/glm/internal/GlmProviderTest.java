package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Entity;
import io.openautoglm.core.Failure;
import io.openautoglm.core.Models;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.glm.testing.GlmTestServer;
import io.openautoglm.glm.testing.GlmTestServer.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

class GlmProviderTest {
    static final String KEY = "provider-test-key-123456";

    static String sentiment(GlmTestServer.ChatCall c) {
        String p = c.lastUserMessage();
        if (p.contains("干净")) {
            return "正面";
        }
        if (p.contains("吵")) {
            return "答案：负面。";
        }
        if (p.contains("一般")) {
            return "我觉得是正面的吧";
        }
        return "I cannot decide";
    }

    static TaskPipeline.Builder pipeline(GlmTestServer server) {
        return TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("glm-4-flash")
                .modelOption("apiKey", KEY)
                .modelOption("baseUrl", server.baseUrl())
                .promptTemplate("判断以下用户反馈的情感倾向:{text}")
                .labels("正面", "负面");
    }

    @Test
    void classificationLabelsAreParsedAndAnUnreadableAnswerFailsWithItsRawText() throws Exception {
        try (GlmTestServer server = GlmTestServer.builder()
                        .apiKey(KEY)
                        .answerer(GlmProviderTest::sentiment)
                        .build()
                        .start();
                TaskPipeline p = pipeline(server)
                        .modelOption("prices", "glm-4-flash=1:2")
                        .batchSize(4)
                        .concurrency(2)
                        .build()) {
            PipelineResult r = p.run(Dataset.of(
                    "reviews",
                    List.of(
                            TextRecord.of("房间很干净", "正面"),
                            TextRecord.of("隔壁太吵了", "负面"),
                            TextRecord.of("还算一般", "正面"),
                            TextRecord.of("???"))));
            assertEquals(4, r.total());
            assertEquals(3, r.succeeded());
            List<RecordResult> res = r.results();
            assertEquals("正面", ((Prediction.Classification) res.get(0).prediction()).label());
            assertEquals("负面", ((Prediction.Classification) res.get(1).prediction()).label());
            assertEquals("答案：负面。", res.get(1).raw());
            assertEquals("正面", ((Prediction.Classification) res.get(2).prediction()).label());
            assertFalse(res.get(3).succeeded());
            assertEquals("I cannot decide", res.get(3).raw(), "the raw answer is kept, never a guessed label");
            String unreadable = res.get(3).failure().message();
            assertTrue(unreadable.contains("matches none of the labels"), unreadable);
            assertEquals(Failure.Kind.UNPARSEABLE_ANSWER, res.get(3).failure().kind());
            assertEquals(4, r.usage().calls());
            assertTrue(r.usage().promptTokens() > 0);
            double expected = (r.usage().promptTokens() * 1.0 + r.usage().completionTokens() * 2.0) / 1e6;
            assertEquals(expected, r.usage().cost(), 1e-9);

            RecordedRequest sent = server.takeRequest();
            JsonNode body = new ObjectMapper().readTree(sent.getBody().readUtf8());
            assertEquals("glm-4-flash", body.get("model").asText());
            assertFalse(body.get("do_sample").asBoolean(), "greedy by default, so answers are repeatable");
            assertTrue(body.get("messages").get(0).get("content").asText().contains("只回答以下标签之一"));
        }
    }

    @Test
    void nerAsksForJsonAndReportsMentionsItCannotFind() throws Exception {
        try (GlmTestServer server = GlmTestServer.builder()
                        .apiKey(KEY)
                        .answerer(c ->
                                "{\"entities\":[{\"type\":\"PER\",\"mention\":\"张三\"},{\"type\":\"LOC\",\"mention\":\"北京\"},"
                                        + "{\"type\":\"LOC\",\"mention\":\"火星\"}]}")
                        .build()
                        .start();
                TaskPipeline p = TaskPipeline.builder()
                        .taskType(TaskType.NAMED_ENTITY_RECOGNITION)
                        .model("glm-4-plus")
                        .modelOption("apiKey", KEY)
                        .modelOption("baseUrl", server.baseUrl())
                        .entityTypes("PER", "LOC")
                        .build()) {
            String text = "昨天张三去了北京。";
            PipelineResult r = p.run(Dataset.of("ner", List.of(TextRecord.of(text))));
            Prediction.Entities e = (Prediction.Entities) r.results().get(0).prediction();
            assertEquals(List.of(new Entity(2, 4, "PER", "张三"), new Entity(6, 8, "LOC", "北京")), e.entities());
            assertEquals(List.of("LOC:火星"), e.unaligned(), "not found in the text: reported, not invented");
            JsonNode body =
                    new ObjectMapper().readTree(server.takeRequest().getBody().readUtf8());
            assertEquals("json_object", body.get("response_format").get("type").asText());
        }
    }

    @Test
    void matchingReadsYesOrNo() {
        try (GlmTestServer server = GlmTestServer.builder()
                        .apiKey(KEY)
                        .answerer(c -> c.lastUserMessage().contains("猫") ? "否" : "是")
                        .build()
                        .start();
                TaskPipeline p = TaskPipeline.builder()
                        .taskType(TaskType.SEMANTIC_MATCHING)
                        .model("glm-4-air")
                        .modelOption("apiKey", KEY)
                        .modelOption("baseUrl", server.baseUrl())
                        .build()) {
            PipelineResult r = p.run(Dataset.of(
                    "pairs", List.of(TextRecord.pair("怎么退款", "如何申请退款", "1"), TextRecord.pair("我喜欢狗", "我喜欢猫", "0"))));
            assertTrue(((Prediction.Match) r.results().get(0).prediction()).matched());
            assertFalse(((Prediction.Match) r.results().get(1).prediction()).matched());
            assertNotNull(r.metrics().orElse(null));
        }
    }

    @Test
    void apiErrorsBecomeFailuresNamingTheCodeAndTheOtherRecordsStillSucceed() {
        try (GlmTestServer server = GlmTestServer.builder()
                        .apiKey(KEY)
                        .answerer(GlmProviderTest::sentiment)
                        .faultRule(c -> c.lastUserMessage().contains("敏感")
                                ? Fault.CONTENT_FILTER_1301
                                : c.lastUserMessage().contains("长文") ? Fault.PROMPT_TOO_LONG_1261 : null)
                        .build()
                        .start();
                TaskPipeline p = pipeline(server).batchSize(3).build()) {
            PipelineResult r = p.run(Dataset.of(
                    "d",
                    List.of(TextRecord.of("很干净"), TextRecord.of("敏感内容"), TextRecord.of("长文"), TextRecord.of("太吵"))));
            assertEquals(2, r.succeeded());
            Failure filtered = r.results().get(1).failure();
            Failure tooLong = r.results().get(2).failure();
            assertTrue(filtered.message().contains("1301"), filtered.message());
            assertTrue(tooLong.message().contains("1261"), tooLong.message());
            assertEquals(Failure.Kind.MODEL_REFUSED, filtered.kind());
            assertEquals(Failure.Kind.INVALID_INPUT, tooLong.kind());
            assertEquals(4, server.requestCount(), "neither 1301 nor 1261 is retried");
        }
    }

    @Test
    void theBudgetEndsARunCleanlyWithNothingLost() {
        List<TextRecord> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(TextRecord.of("房间很干净 " + i));
        }
        try (GlmTestServer server = GlmTestServer.builder()
                        .apiKey(KEY)
                        .answerer(GlmProviderTest::sentiment)
                        .build()
                        .start();
                TaskPipeline p = pipeline(server)
                        .modelOption("budgetTokens", "100")
                        .batchSize(1)
                        .concurrency(1)
                        .build()) {
            PipelineResult r = p.run(Dataset.of("d", records));
            assertEquals(30, r.total());
            assertTrue(r.succeeded() > 0 && r.succeeded() < 30, "succeeded " + r.succeeded());
            assertEquals(r.succeeded(), server.requestCount(), "no call is sent past the budget");
            r.failures()
                    .forEach(f -> assertEquals(Failure.of(Failure.Kind.SPEND_LIMIT, "budget exhausted"), f.failure()));
            assertEquals(Map.of(Failure.Kind.SPEND_LIMIT, r.failed()), r.failuresByKind());
        }
    }

    @Test
    void eachGlmFailureGetsItsKind() {
        Map<String, Fault> faults = Map.of(
                "限流",
                Fault.RATE_LIMIT_1302,
                "过载",
                Fault.OVERLOADED_1305,
                "密钥",
                Fault.AUTH_FAILED_1000,
                "欠费",
                Fault.NO_BALANCE_1113,
                "故障",
                Fault.SERVER_500,
                "参数",
                Fault.INVALID_PARAMETER_1214,
                "审核",
                Fault.SENSITIVE,
                "卡住",
                Fault.STALL);
        try (GlmTestServer server = GlmTestServer.builder()
                        .apiKey(KEY)
                        .answerer(GlmProviderTest::sentiment)
                        .faultRule(c -> faults.entrySet().stream()
                                .filter(e -> c.lastUserMessage().contains(e.getKey()))
                                .map(Map.Entry::getValue)
                                .findFirst()
                                .orElse(null))
                        .build()
                        .start();
                TaskPipeline p = pipeline(server)
                        .modelOption("maxAttempts", "1")
                        .modelOption("readTimeoutMs", "300")
                        .batchSize(4)
                        .concurrency(2)
                        .build()) {
            List<String> texts = List.of("很干净", "限流", "过载", "密钥", "欠费", "故障", "参数", "审核", "卡住", "???");
            PipelineResult r =
                    p.run(Dataset.of("d", texts.stream().map(TextRecord::of).toList()));
            List<Failure.Kind> kinds = r.results().stream()
                    .map(x -> x.succeeded() ? null : x.failure().kind())
                    .toList();
            assertEquals(
                    java.util.Arrays.asList(
                            null,
                            Failure.Kind.RATE_LIMITED,
                            Failure.Kind.RATE_LIMITED,
                            Failure.Kind.AUTHENTICATION,
                            Failure.Kind.QUOTA_EXCEEDED,
                            Failure.Kind.MODEL_ERROR,
                            Failure.Kind.MODEL_ERROR,
                            Failure.Kind.MODEL_REFUSED,
                            Failure.Kind.TIMEOUT,
                            Failure.Kind.UNPARSEABLE_ANSWER),
                    kinds,
                    String.valueOf(r.failures()));
            assertTrue(
                    r.results().get(1).failure().message().contains("1302"),
                    r.results().get(1).failure().message());
            assertEquals(
                    Map.of(
                            Failure.Kind.RATE_LIMITED,
                            2L,
                            Failure.Kind.AUTHENTICATION,
                            1L,
                            Failure.Kind.QUOTA_EXCEEDED,
                            1L,
                            Failure.Kind.MODEL_ERROR,
                            2L,
                            Failure.Kind.MODEL_REFUSED,
                            1L,
                            Failure.Kind.TIMEOUT,
                            1L,
                            Failure.Kind.UNPARSEABLE_ANSWER,
                            1L),
                    r.failuresByKind());
        }
    }

    @Test
    void interruptedAndTimedOutCallsAreToldApart() {
        assertEquals(
                Failure.Kind.TIMEOUT,
                GlmPredictor.kindOf(new io.openautoglm.glm.GlmNetworkException(
                        "GLM call timed out", new java.net.SocketTimeoutException("Read timed out"))));
        assertEquals(
                Failure.Kind.TIMEOUT,
                GlmPredictor.kindOf(new io.openautoglm.glm.GlmNetworkException(
                        "GLM call failed",
                        new java.io.InterruptedIOException("timeout")))); // OkHttp's whole-call timeout
        assertEquals(
                Failure.Kind.CANCELLED,
                GlmPredictor.kindOf(new io.openautoglm.glm.NonRetriableGlmException(
                        "GLM call interrupted", new java.io.InterruptedIOException("interrupted"), 0, null)));
        assertEquals(
                Failure.Kind.CANCELLED,
                GlmPredictor.kindOf(new io.openautoglm.glm.GlmNetworkException(
                        "interrupted while waiting to repeat a GLM call", new InterruptedException())));
        assertEquals(
                Failure.Kind.MODEL_ERROR,
                GlmPredictor.kindOf(new io.openautoglm.glm.GlmNetworkException(
                        "GLM call failed", new java.io.IOException("unexpected end of stream"))));
        assertEquals(
                Failure.Kind.SPEND_LIMIT,
                GlmPredictor.kindOf(new io.openautoglm.glm.SpendLimitExceededException("spent")));
    }

    @Test
    void recordsOfOneBatchAreSentConcurrently() {
        List<TextRecord> records = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            records.add(TextRecord.of("干净 " + i));
        }
        try (GlmTestServer server = GlmTestServer.builder()
                        .apiKey(KEY)
                        .latency(Duration.ofMillis(40))
                        .answerer(GlmProviderTest::sentiment)
                        .build()
                        .start();
                TaskPipeline p = pipeline(server)
                        .modelOption("maxInFlight", "8")
                        .batchSize(16)
                        .concurrency(1)
                        .build()) {
            PipelineResult r = p.run(Dataset.of("d", records));
            assertEquals(16, r.succeeded());
            assertTrue(server.maxInFlightSeen() > 1, "one batch fans out");
            assertTrue(server.maxInFlightSeen() <= 8, "never more than maxInFlight: " + server.maxInFlightSeen());
        }
    }

    @Test
    void streamingModeRepeatsACutStream() {
        try (GlmTestServer server = GlmTestServer.builder()
                        .apiKey(KEY)
                        .answerer(GlmProviderTest::sentiment)
                        .build()
                        .start();
                TaskPipeline p = pipeline(server).modelOption("stream", "true").build()) {
            server.enqueueFault(Fault.STREAM_CUT, Fault.STREAM_NETWORK_ERROR);
            PipelineResult r = p.run(Dataset.of("d", List.of(TextRecord.of("房间很干净"))));
            assertEquals(1, r.succeeded(), String.valueOf(r.failures()));
            assertEquals(3, server.requestCount());
        }
    }

    @Test
    void optionsAreCheckedAndSecretsStayHidden() {
        GlmModelProvider provider = new GlmModelProvider();
        assertTrue(provider.supports("glm-4-flash"));
        assertTrue(provider.supports("glm:glm-4"));
        assertFalse(provider.supports("local:bge-small-zh"));
        assertInstanceOf(
                GlmModelProvider.class,
                Models.providers().stream()
                        .filter(m -> m.supports("glm-4.5"))
                        .findFirst()
                        .orElseThrow());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> provider.open("glm-4", Map.of("apikey", "should-not-show")));
        assertTrue(e.getMessage().contains("'apikey'") && e.getMessage().contains("apiKey"));
        assertFalse(e.getMessage().contains("should-not-show"));
        e = assertThrows(
                IllegalArgumentException.class,
                () -> provider.open("glm-4", Map.of("apiKey", "k-123456", "maxInFlight", "lots")));
        assertEquals("glm model option maxInFlight: expected an integer of at least 1", e.getMessage());
        assertFalse(new ProviderOptions(Map.of("apiKey", "k-123456")).toString().contains("k-123456"));
        try (var m = provider.open("glm-4", Map.of("apiKey", "k-1234567890", "baseUrl", "http://127.0.0.1:9/v4/"))) {
            assertFalse(m.toString().contains("k-1234567890"));
        }
    }

    @Test
    void jwtAuthAndABackupEndpointCanBeChosenThroughOptions() {
        String key = "abcdef123.provider-secret-xyz";
        try (GlmTestServer primary = GlmTestServer.builder()
                        .apiKey(key)
                        .answerer(c -> "正面")
                        .faultRate(1.0, Fault.SERVER_500)
                        .build()
                        .start();
                GlmTestServer backup = GlmTestServer.builder()
                        .apiKey(key)
                        .answerer(c -> "负面")
                        .build()
                        .start();
                TaskPipeline p = TaskPipeline.builder()
                        .taskType(TaskType.TEXT_CLASSIFICATION)
                        .model("glm-4-flash")
                        .modelOption("apiKey", key)
                        .modelOption("authMode", "jwt")
                        .modelOption("baseUrl", primary.baseUrl())
                        .modelOption("backupBaseUrl", backup.baseUrl())
                        .labels("正面", "负面")
                        .batchSize(1)
                        .concurrency(1)
                        .build()) {
            PipelineResult r = p.run(Dataset.of(
                    "d",
                    List.of(
                            TextRecord.of("a"),
                            TextRecord.of("b"),
                            TextRecord.of("c"),
                            TextRecord.of("d"),
                            TextRecord.of("e"))));
            assertEquals(5, r.succeeded(), String.valueOf(r.failures()));
            r.results().forEach(x -> assertEquals("负面", ((Prediction.Classification) x.prediction()).label()));
            assertEquals(3, primary.requestCount(), "out after 3 failures in a row, then left alone");
            assertTrue(backup.takeRequest().getHeader("Authorization").startsWith("Bearer eyJ"), "a JWT, not the key");
        }
    }

    @Test
    void theTestServerRefusesRequestsWithoutCredentials() throws Exception {
        try (GlmTestServer server = GlmTestServer.builder().apiKey(KEY).build().start()) {
            okhttp3.OkHttpClient http = new okhttp3.OkHttpClient();
            okhttp3.Request req = new okhttp3.Request.Builder()
                    .url(server.baseUrl() + "chat/completions")
                    .post(okhttp3.RequestBody.create("{}", okhttp3.MediaType.get("application/json")))
                    .build();
            try (okhttp3.Response resp = http.newCall(req).execute()) {
                assertEquals(401, resp.code());
                assertTrue(resp.body().string().contains("1001"));
            }
            okhttp3.Request wrong =
                    req.newBuilder().header("Authorization", "Bearer nope").build();
            try (okhttp3.Response resp = http.newCall(wrong).execute()) {
                assertEquals(401, resp.code());
                assertTrue(resp.body().string().contains("1000"));
            }
            http.connectionPool().evictAll();
        }
    }
}
