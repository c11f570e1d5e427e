package io.openautoglm.glm;

import static io.openautoglm.glm.TestSupport.hello;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.glm.testing.GlmTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class JwtAuthTest {
    private static final String ID = "3f1c9a2b7d";
    private static final String SECRET = "s3cr3t-signing-half";
    private static final String KEY = ID + "." + SECRET;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tokenHasGlmHeaderMillisecondClaimsAndAValidSignature() throws Exception {
        long start = System.currentTimeMillis();
        TestSupport.TestClock clock = new TestSupport.TestClock(start, 0);
        try (GlmTestServer server = GlmTestServer.builder().apiKey(KEY).build().start();
                GlmClient glm = GlmClient.builder()
                        .apiKey(KEY)
                        .authMode(AuthMode.JWT)
                        .baseUrl(server.baseUrl())
                        .clock(clock)
                        .jwtTtl(Duration.ofMinutes(30))
                        .build()) {
            glm.chat(hello());
            glm.chat(hello());
            String first = server.takeRequest().getHeader("Authorization").substring(7);
            String second = server.takeRequest().getHeader("Authorization").substring(7);
            assertEquals(first, second, "the token is cached");
            String[] parts = first.split("\\.");
            assertEquals(3, parts.length);
            Base64.Decoder dec = Base64.getUrlDecoder();
            JsonNode header = JSON.readTree(dec.decode(parts[0]));
            JsonNode claims = JSON.readTree(dec.decode(parts[1]));
            assertEquals("HS256", header.get("alg").asText());
            assertEquals("SIGN", header.get("sign_type").asText());
            assertEquals(ID, claims.get("api_key").asText());
            assertEquals(start, claims.get("timestamp").asLong(), "timestamp in epoch milliseconds");
            assertEquals(start + 30 * 60_000L, claims.get("exp").asLong(), "exp in epoch milliseconds");
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertArrayEquals(
                    mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8)), dec.decode(parts[2]));
            assertFalse(first.contains(SECRET));

            clock.advance(Duration.ofMinutes(29).plusSeconds(1));
            glm.chat(hello());
            String renewed = server.takeRequest().getHeader("Authorization").substring(7);
            assertNotEquals(first, renewed, "renewed shortly before expiry");
        }
    }

    @Test
    void anExpiredTokenIsRegeneratedOnceAndTheCallRepeated() {
        TestSupport.TestClock clock = new TestSupport.TestClock(System.currentTimeMillis(), 1000);
        try (GlmTestServer server = GlmTestServer.builder().apiKey(KEY).build().start();
                GlmClient glm = GlmClient.builder()
                        .apiKey(KEY)
                        .authMode(AuthMode.JWT)
                        .baseUrl(server.baseUrl())
                        .clock(clock)
                        .retryPolicy(RetryPolicy.none())
                        .build()) {
            server.enqueueFault(GlmTestServer.Fault.TOKEN_EXPIRED_1003);
            assertEquals("ok", glm.chat(hello()).content());
            assertEquals(2, server.requestCount());
            String a = server.takeRequest().getHeader("Authorization");
            String b = server.takeRequest().getHeader("Authorization");
            assertNotEquals(a, b);

            server.enqueueFault(GlmTestServer.Fault.TOKEN_EXPIRED_1003, GlmTestServer.Fault.TOKEN_EXPIRED_1003);
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> glm.chat(hello()));
            assertTrue(e.tokenExpired());
            assertEquals(4, server.requestCount(), "regenerated once, not in a loop");
        }
    }

    @Test
    void aServerCheckingJwtsRejectsAWrongSecret() {
        try (GlmTestServer server = GlmTestServer.builder().apiKey(KEY).build().start();
                GlmClient glm = GlmClient.builder()
                        .apiKey(ID + ".wrong-secret-value")
                        .authMode(AuthMode.JWT)
                        .baseUrl(server.baseUrl())
                        .build()) {
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> glm.chat(hello()));
            assertEquals("1004", e.code());
            assertFalse(e.getMessage().contains("wrong-secret-value"));
        }
    }

    @Test
    void aKeyWithoutOneDotIsRefusedWithoutEchoingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> GlmClient.builder()
                        .apiKey("nodotkeyvalue123")
                        .authMode(AuthMode.JWT)
                        .build());
        assertTrue(e.getMessage().startsWith("apiKey:"));
        assertFalse(e.getMessage().contains("nodotkeyvalue123"));
    }
}
