package io.openautoglm.glm;

import static io.openautoglm.glm.TestSupport.KEY;
import static io.openautoglm.glm.TestSupport.client;
import static io.openautoglm.glm.TestSupport.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.glm.TestSupport.RecordingSleeper;
import io.openautoglm.glm.internal.ErrorMapper;
import io.openautoglm.glm.internal.Secrets;
import io.openautoglm.glm.testing.GlmTestServer;
import io.openautoglm.glm.testing.GlmTestServer.Fault;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each status and business code: the exception it becomes, and whether the client repeats the call. */
class ErrorMappingAndRetryTest {
    private GlmTestServer server;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void start() {
        server = GlmTestServer.builder().apiKey(KEY).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(Fault.RATE_LIMIT_1302, RateLimitException.class, 429, "1302", true),
                Arguments.of(Fault.RATE_LIMIT_1303, RateLimitException.class, 429, "1303", true),
                Arguments.of(Fault.OVERLOADED_1305, RateLimitException.class, 429, "1305", true),
                Arguments.of(Fault.OVERLOADED_503, RateLimitException.class, 503, "1305", true),
                Arguments.of(Fault.MODEL_BUSY_1312, RateLimitException.class, 429, "1312", true),
                Arguments.of(Fault.SERVER_500, ServerException.class, 500, null, true),
                Arguments.of(Fault.SERVER_500_NON_JSON, ServerException.class, 500, null, true),
                Arguments.of(Fault.RESET, GlmNetworkException.class, 0, null, true),
                Arguments.of(Fault.NO_BALANCE_1113, InsufficientBalanceException.class, 429, "1113", false),
                Arguments.of(Fault.PROMPT_TOO_LONG_1261, PromptTooLongException.class, 400, "1261", false),
                Arguments.of(Fault.CONTENT_FILTER_1301, ContentFilterException.class, 400, "1301", false),
                Arguments.of(Fault.INVALID_PARAMETER_1214, InvalidRequestException.class, 400, "1214", false),
                Arguments.of(Fault.AUTH_FAILED_1000, AuthenticationException.class, 401, "1000", false),
                Arguments.of(Fault.TOKEN_EXPIRED_1003, AuthenticationException.class, 401, "1003", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void eachFaultMapsToItsExceptionAndRetryDecision(
            Fault fault, Class<? extends GlmException> type, int status, String code, boolean retriable) {
        try (GlmClient glm =
                client(server, sleeper).retryPolicy(TestSupport.fastRetries(3)).build()) {
            server.enqueueFault(fault, fault, fault);
            GlmException e = assertThrows(GlmException.class, () -> glm.chat(hello()));
            assertInstanceOf(type, e);
            assertEquals(retriable, e.isRetriable());
            Class<?> otherBranch = retriable ? NonRetriableGlmException.class : RetriableGlmException.class;
            assertFalse(otherBranch.isInstance(e), fault + " is also a " + otherBranch.getSimpleName());
            assertTrue(retriable ? e instanceof RetriableGlmException : e instanceof NonRetriableGlmException);
            assertEquals(status, e.httpStatus());
            assertEquals(code, e.code());
            assertEquals(retriable ? 3 : 1, server.requestCount(), "requests sent for " + fault);
            assertEquals(retriable ? 2 : 0, sleeper.sleeps().size());
        }
    }

    @ParameterizedTest(name = "{0} then success")
    @MethodSource("faults")
    void aFaultThenSuccessIsRepeatedOnlyWhenRetriable(
            Fault fault, Class<? extends GlmException> type, int status, String code, boolean retriable) {
        try (GlmClient glm = client(server, sleeper).build()) {
            server.enqueueFault(fault);
            if (retriable) {
                assertEquals("ok", glm.chat(hello()).content());
                assertEquals(2, server.requestCount());
                assertEquals(1, glm.usage().retries());
                assertEquals(1, sleeper.sleeps().size());
                assertEquals(0, glm.usage().failedCalls());
            } else {
                GlmException e = assertThrows(GlmException.class, () -> glm.chat(hello()));
                assertInstanceOf(type, e);
                assertEquals(1, server.requestCount(), fault + " is not repeated, though a next try would work");
                assertEquals(0, glm.usage().retries());
                assertEquals(List.of(), sleeper.sleeps());
                assertEquals(1, glm.usage().failedCalls());
                assertEquals("ok", glm.chat(hello()).content(), "the fault was the server's, not the client's state");
            }
            assertEquals(1, glm.usage().calls());
        }
    }

    @Test
    void retryAfterIsHonoured() {
        try (GlmClient glm = client(server, sleeper).build()) {
            server.enqueueFault(Fault.RATE_LIMIT_RETRY_AFTER);
            glm.chat(hello());
            assertEquals(List.of(Duration.ofSeconds(1)), sleeper.sleeps());
        }
    }

    @Test
    void backoffGrowsWithJitterAndOverloadWaitsLonger() {
        RetryPolicy p = RetryPolicy.builder()
                .initialDelay(Duration.ofMillis(100))
                .maxDelay(Duration.ofSeconds(1))
                .multiplier(2)
                .jitter(0.5)
                .build();
        GlmException plain = new ServerException("x", 500, null, null);
        assertEquals(Duration.ofMillis(50), p.delay(1, plain, 0.0));
        assertEquals(Duration.ofMillis(100), p.delay(1, plain, 1.0));
        assertEquals(Duration.ofMillis(200), p.delay(2, plain, 1.0));
        assertEquals(Duration.ofMillis(1000), p.delay(10, plain, 1.0), "capped at maxDelay");
        GlmException overload = new RateLimitException("x", 429, "1305", null);
        assertEquals(Duration.ofMillis(200), p.delay(1, overload, 1.0));
        GlmException asked = new RateLimitException("x", 429, "1302", Duration.ofSeconds(3));
        assertEquals(Duration.ofSeconds(3), p.delay(1, asked, 0.3));
        assertEquals(
                Duration.ofSeconds(60),
                p.delay(1, new RateLimitException("x", 429, "1302", Duration.ofHours(1)), 0.3),
                "Retry-After capped");
        assertFalse(p.toBuilder()
                .honourRetryAfter(false)
                .build()
                .delay(1, asked, 1.0)
                .equals(Duration.ofSeconds(3)));
        assertTrue(p.shouldRetry(plain, 3));
        assertFalse(p.shouldRetry(plain, 4));
        assertFalse(p.shouldRetry(new ContentFilterException("x", 400, "1301"), 1));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RetryPolicy.builder().jitter(2).build());
        assertEquals("jitter: must be in [0, 1], got 2.0", e.getMessage());
    }

    @Test
    void looseErrorBodiesAreStillRead() {
        Secrets none = new Secrets(List.of());
        Clock c = Clock.systemUTC();
        GlmException a = ErrorMapper.map(429, "{\"code\":1302,\"msg\":\"slow down\"}", null, "t", none, c);
        assertInstanceOf(RateLimitException.class, a);
        assertTrue(a.getMessage().contains("slow down"));
        GlmException b = ErrorMapper.map(400, "{\"error\":\"bad thing\",\"code\":\"1261\"}", null, "t", none, c);
        assertInstanceOf(PromptTooLongException.class, b);
        GlmException d =
                ErrorMapper.map(502, "<html>Bad Gateway</html>", "Wed, 21 Oct 2015 07:28:00 GMT", "t", none, c);
        assertInstanceOf(ServerException.class, d);
        assertEquals(Duration.ZERO, d.retryAfter().orElseThrow(), "a date in the past means now");
        GlmException q =
                ErrorMapper.map(429, "{\"error\":{\"code\":\"1308\",\"message\":\"cap\"}}", null, "t", none, c);
        assertInstanceOf(QuotaExceededException.class, q);
        assertFalse(q.isRetriable());
        assertInstanceOf(PermissionException.class, ErrorMapper.map(403, "", null, "t", none, c));
        assertInstanceOf(
                ServerException.class,
                ErrorMapper.map(500, "{\"error\":{\"code\":\"1234\",\"message\":\"net\"}}", null, "t", none, c));
    }

    @Test
    void anErrorObjectInsideA200IsNotTakenForAnAnswer() throws Exception {
        MockWebServer raw = new MockWebServer();
        raw.enqueue(new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody("{\"error\":{\"code\":\"1301\",\"message\":\"unsafe\"}}"));
        raw.start();
        try (GlmClient glm = GlmClient.builder()
                .apiKey(KEY)
                .baseUrl(raw.url("/v4/").toString())
                .build()) {
            assertThrows(ContentFilterException.class, () -> glm.chat(hello()));
        } finally {
            raw.shutdown();
        }
    }
}
