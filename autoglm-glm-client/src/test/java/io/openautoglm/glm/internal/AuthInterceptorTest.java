package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.glm.AuthMode;
import io.openautoglm.glm.AuthenticationException;
import io.openautoglm.glm.Endpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The authentication step alone: the header each attempt carries, and the renewal of an expired JWT. */
class AuthInterceptorTest {
    private static final Endpoint JWT_ENDPOINT = Endpoint.builder()
            .name("main")
            .baseUrl("https://a.example/v4/")
            .apiKey("abcdef123.auth-secret-xyz")
            .build();
    /** A clock that moves a millisecond each time it is read, so that a token signed anew differs. */
    private final Clock clock = new Clock() {
        private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

        @Override
        public long millis() {
            return millis.getAndIncrement();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };

    private static FakeChain<String> chain(Endpoint ep, java.util.function.Function<GlmRequest, String> next) {
        FakeChain<String> c = FakeChain.of("glm-4-flash", next);
        return new FakeChain<>(c.request().withEndpoint(ep), c.call(), next);
    }

    @Test
    void theApiKeyIsSentAsABearerToken() {
        AuthInterceptor auth =
                new AuthInterceptor(AuthMode.API_KEY, List.of(FakeChain.ENDPOINT), clock, Duration.ofMinutes(30));
        FakeChain<String> c = chain(FakeChain.ENDPOINT, r -> r.header("Authorization"));
        assertEquals("Bearer fake-key-0123456789", c.run(auth));
        assertFalse(c.proceeded.get(0).toString().contains("fake-key"), "a request never shows its headers");
    }

    @Test
    void anExpiredJwtIsDroppedAndTheCallGrantedOneUncountedRepeat() {
        AuthInterceptor auth = new AuthInterceptor(AuthMode.JWT, List.of(JWT_ENDPOINT), clock, Duration.ofMinutes(30));
        FakeChain<String> c = chain(JWT_ENDPOINT, r -> {
            throw new AuthenticationException("1003", 401, "1003");
        });
        assertThrows(AuthenticationException.class, () -> c.run(auth));
        String first = c.proceeded.get(0).header("Authorization");
        assertTrue(first.startsWith("Bearer eyJ"), "a JWT, not the key");
        assertTrue(c.call().takeFreeRepeat(), "one repeat granted");
        assertThrows(AuthenticationException.class, () -> c.run(auth));
        String second = c.proceeded.get(1).header("Authorization");
        assertNotEquals(first, second, "the dropped token was signed anew");
        assertFalse(c.call().takeFreeRepeat(), "but only once per call");

        AuthInterceptor keys =
                new AuthInterceptor(AuthMode.API_KEY, List.of(JWT_ENDPOINT), clock, Duration.ofMinutes(30));
        FakeChain<String> plain = chain(JWT_ENDPOINT, r -> {
            throw new AuthenticationException("1003", 401, "1003");
        });
        assertThrows(AuthenticationException.class, () -> plain.run(keys));
        assertFalse(plain.call().takeFreeRepeat(), "an API key is not renewed");
    }
}
