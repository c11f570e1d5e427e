package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.glm.Endpoint;
import io.openautoglm.glm.GlmNetworkException;
import io.openautoglm.glm.RateLimitException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The end of the chain alone, against a real local server: what is sent, and what each kind of answer becomes. */
class HttpCallTest {
    private static final String KEY = "http-call-key-0123456789";
    private MockWebServer server;
    private OkHttpClient http;
    private HttpCall httpCall;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        http = new OkHttpClient.Builder()
                .readTimeout(Duration.ofSeconds(2))
                .retryOnConnectionFailure(false)
                .build();
        httpCall = new HttpCall(http, http, new Secrets(List.of(KEY)), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        http.connectionPool().evictAll();
        server.shutdown();
    }

    private FakeChain<String> chain(boolean stream) {
        Endpoint ep = Endpoint.builder()
                .name("local")
                .baseUrl(server.url("/api/paas/v4/").toString())
                .apiKey(KEY)
                .build();
        GlmRequest r = GlmRequest.of(
                        "glm-4-flash", "chat/completions", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), stream)
                .withEndpoint(ep)
                .withHeader("Authorization", "Bearer " + KEY);
        GlmCall<String> call = new GlmCall<>((response, endpoint, d) ->
                endpoint.name() + ":" + response.body().string());
        return new FakeChain<>(r, call, x -> {
            throw new AssertionError("HttpCall must not proceed");
        });
    }

    @Test
    void theRequestIsPostedToThePathUnderTheEndpointWithItsHeadersAndReadByTheCallsReader() throws Exception {
        server.enqueue(new MockResponse().setBody("answer"));
        assertEquals("local:answer", chain(true).run(httpCall));
        RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("POST", sent.getMethod());
        assertEquals("/api/paas/v4/chat/completions", sent.getPath());
        assertEquals("Bearer " + KEY, sent.getHeader("Authorization"));
        assertEquals("text/event-stream", sent.getHeader("Accept"));
        assertTrue(sent.getHeader("Content-Type").startsWith("application/json"));
        assertEquals("{\"a\":1}", sent.getBody().readUtf8());
    }

    @Test
    void anErrorStatusIsMappedAndAFailedConnectionIsANetworkFailureNamingTheEndpoint() {
        server.enqueue(new MockResponse()
                .setResponseCode(429)
                .setHeader("Retry-After", "2")
                .setBody("{\"error\":{\"code\":\"1302\",\"message\":\"busy, key " + KEY + "\"}}"));
        RateLimitException limited =
                assertThrows(RateLimitException.class, () -> chain(false).run(httpCall));
        assertEquals("1302", limited.code());
        assertEquals(Duration.ofSeconds(2), limited.retryAfter().orElseThrow());
        assertTrue(limited.getMessage().contains("endpoint local, model glm-4-flash"), limited.getMessage());
        assertFalse(limited.getMessage().contains(KEY), limited.getMessage());

        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        GlmNetworkException cut =
                assertThrows(GlmNetworkException.class, () -> chain(false).run(httpCall));
        assertTrue(
                cut.getMessage().startsWith("GLM call to glm-4-flash from endpoint local failed: "), cut.getMessage());
        assertTrue(cut.isRetriable());
    }
}
