package io.openautoglm.glm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.glm.TestSupport.RecordingSleeper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The key must not leak through logs, exception messages or toString, even when the server echoes it. */
class RedactionTest {

    /** A server that quotes the credential it received in every error, as some gateways do. */
    private static MockWebServer echoingServer(List<String> seenTokens) throws Exception {
        MockWebServer s = new MockWebServer();
        s.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String auth = r.getHeader("Authorization");
                synchronized (seenTokens) {
                    seenTokens.add(auth.substring(7));
                }
                int n = s.getRequestCount();
                int status = n % 2 == 0 ? 500 : 429;
                return new MockResponse()
                        .setResponseCode(status)
                        .setHeader("Content-Type", "application/json")
                        .setBody("{\"error\":{\"code\":\"" + (status == 429 ? "1302" : "1200")
                                + "\",\"message\":\"rejected " + auth + " (token " + auth.substring(7) + ")\"}}");
            }
        });
        s.start();
        return s;
    }

    private static String captureStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aKeyPassedAsTheBaseUrlIsNotRepeated() {
        String key = "4f1c2b7e9d0a.Xy7zSecretHalf";
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> GlmClient.builder()
                        .apiKey("https://open.bigmodel.cn/api/paas/v4/")
                        .baseUrl(key)
                        .build());
        assertFalse(e.getMessage().contains(key) || e.getMessage().contains("SecretHalf"), e.getMessage());
        assertTrue(e.getMessage().contains("baseUrl") && e.getMessage().contains("without a scheme"), e.getMessage());
        IllegalArgumentException ftp = assertThrows(
                IllegalArgumentException.class,
                () -> Endpoint.builder()
                        .baseUrl("ftp://example.com/")
                        .apiKey("k-0123456789")
                        .build());
        assertTrue(ftp.getMessage().contains("ftp://example.com/"), "a URL is shown: " + ftp.getMessage());
    }

    @Test
    void anApiKeyNeverAppearsInLogsMessagesOrToString() throws Exception {
        String key = "sk-live-SECRETKEY-9876543210";
        List<String> tokens = new ArrayList<>();
        MockWebServer server = echoingServer(tokens);
        List<String> messages = new ArrayList<>();
        try (GlmClient glm = GlmClient.builder()
                .apiKey(key)
                .baseUrl(server.url("/v4/").toString())
                .sleeper(new RecordingSleeper())
                .retryPolicy(TestSupport.fastRetries(4))
                .endpointFailureThreshold(1)
                .build()) {
            String log = captureStderr(() -> {
                GlmException e = assertThrows(GlmException.class, () -> glm.chat(TestSupport.hello()));
                messages.add(e.getMessage());
                messages.add(e.toString());
            });
            messages.add(log);
            messages.add(glm.toString());
            messages.add(glm.endpoints().toString());
            assertTrue(log.contains("retrying"), "debug logs were captured: " + log);
        } finally {
            server.shutdown();
        }
        for (String m : messages) {
            assertFalse(m.contains(key), "key leaked: " + m);
            assertFalse(m.contains("SECRETKEY"), "key leaked: " + m);
        }
        assertTrue(messages.get(0).contains("***"), messages.get(0));
    }

    @Test
    void aJwtSecretAndTheTokensMadeFromItNeverAppear() throws Exception {
        String id = "user-id-12345";
        String secret = "jwt-signing-secret-abcdef";
        List<String> tokens = new ArrayList<>();
        MockWebServer server = echoingServer(tokens);
        List<String> messages = new ArrayList<>();
        try (GlmClient glm = GlmClient.builder()
                .apiKey(id + "." + secret)
                .authMode(AuthMode.JWT)
                .baseUrl(server.url("/v4/").toString())
                .sleeper(new RecordingSleeper())
                .retryPolicy(TestSupport.fastRetries(3))
                .jwtTtl(Duration.ofMinutes(5))
                .build()) {
            String log = captureStderr(() -> {
                GlmException e = assertThrows(GlmException.class, () -> glm.chat(TestSupport.hello()));
                messages.add(e.getMessage());
            });
            messages.add(log);
            messages.add(glm.toString());
        } finally {
            server.shutdown();
        }
        assertFalse(tokens.isEmpty());
        for (String m : messages) {
            assertFalse(m.contains(secret), "secret leaked: " + m);
            for (String t : tokens) {
                assertFalse(m.contains(t), "token leaked: " + m);
            }
        }
    }
}
