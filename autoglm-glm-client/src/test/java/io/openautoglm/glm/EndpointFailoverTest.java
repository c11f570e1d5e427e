package io.openautoglm.glm;

import static io.openautoglm.glm.TestSupport.KEY;
import static io.openautoglm.glm.TestSupport.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.glm.TestSupport.RecordingSleeper;
import io.openautoglm.glm.TestSupport.TestClock;
import io.openautoglm.glm.testing.GlmTestServer;
import io.openautoglm.glm.testing.GlmTestServer.Fault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EndpointFailoverTest {
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @Test
    void backupServesOnlyWhileThePrimaryIsOutAndThePrimaryIsProbedBackIn() {
        TestClock clock = new TestClock(1_000_000, 0);
        try (GlmTestServer primary =
                        GlmTestServer.builder().answerer(c -> "primary").build().start();
                GlmTestServer backup =
                        GlmTestServer.builder().answerer(c -> "backup").build().start();
                GlmClient glm = GlmClient.builder()
                        .apiKey(KEY)
                        .clock(clock)
                        .sleeper(sleeper)
                        .retryPolicy(TestSupport.fastRetries(3))
                        .endpoint(Endpoint.builder()
                                .name("main")
                                .baseUrl(primary.baseUrl())
                                .build())
                        .endpoint(Endpoint.builder()
                                .name("spare")
                                .baseUrl(backup.baseUrl())
                                .backup(true)
                                .build())
                        .endpointFailureThreshold(2)
                        .endpointCooldown(Duration.ofSeconds(10))
                        .build()) {
            for (int i = 0; i < 5; i++) {
                assertEquals("primary", glm.chat(hello()).content());
            }
            assertEquals(0, backup.requestCount(), "a backup gets nothing while the primary is in");

            primary.enqueueFault(Fault.SERVER_500, Fault.SERVER_500);
            assertEquals("backup", glm.chat(hello()).content(), "failed over on the retry");
            assertEquals("backup", glm.chat(hello()).content());
            assertFalse(glm.endpointHealth().get("main"), "two failures in a row take it out");
            long primaryRequests = primary.requestCount();
            assertEquals("backup", glm.chat(hello()).content());
            assertEquals(primaryRequests, primary.requestCount(), "an endpoint that is out gets no traffic");

            clock.advance(Duration.ofSeconds(11));
            assertEquals("primary", glm.chat(hello()).content(), "after the cooldown a probe goes to the primary");
            assertTrue(glm.endpointHealth().get("main"));
            assertEquals("primary", glm.chat(hello()).content());
        }
    }

    @Test
    void anEndpointThatRefusesConnectionsIsFailedOver() {
        try (GlmTestServer alive =
                        GlmTestServer.builder().answerer(c -> "alive").build().start();
                // Started while the live server holds its port, so the dead one's port cannot be handed to it.
                GlmClient glm = GlmClient.builder()
                        .apiKey(KEY)
                        .sleeper(sleeper)
                        .retryPolicy(TestSupport.fastRetries(3))
                        .random(new java.util.SplittableRandom(7))
                        .connectTimeout(Duration.ofMillis(500))
                        .endpoint(Endpoint.builder()
                                .name("dead")
                                .baseUrl(closedServerUrl())
                                .build())
                        .endpoint(Endpoint.builder()
                                .name("alive")
                                .baseUrl(alive.baseUrl())
                                .build())
                        .build()) {
            for (int i = 0; i < 10; i++) {
                assertEquals("alive", glm.chat(hello()).content());
            }
            assertFalse(glm.endpointHealth().get("dead"));
        }
    }

    @Test
    void trafficFollowsTheWeights() {
        try (GlmTestServer heavy = GlmTestServer.builder().build().start();
                GlmTestServer light = GlmTestServer.builder().build().start();
                GlmClient glm = GlmClient.builder()
                        .apiKey(KEY)
                        .random(new java.util.SplittableRandom(42))
                        .endpoint(Endpoint.builder()
                                .name("heavy")
                                .baseUrl(heavy.baseUrl())
                                .weight(3)
                                .build())
                        .endpoint(Endpoint.builder()
                                .name("light")
                                .baseUrl(light.baseUrl())
                                .weight(1)
                                .build())
                        .build()) {
            for (int i = 0; i < 200; i++) {
                glm.chat(hello());
            }
            long h = heavy.requestCount();
            assertEquals(200, h + light.requestCount());
            assertTrue(h > 115 && h < 185, "heavy got " + h + " of 200 at weight 3:1");
        }
    }

    @Test
    void endpointsNeverShowTheirKeys() {
        Endpoint e = Endpoint.builder()
                .baseUrl(Endpoint.ZAI)
                .apiKey("abcdef.0123456789")
                .build();
        assertFalse(e.toString().contains("0123456789"));
        assertEquals("api.z.ai", e.name());
    }

    /** The URL of a server that has just shut down: connections to it are refused. */
    private static String closedServerUrl() {
        GlmTestServer gone = GlmTestServer.builder().build().start();
        String url = gone.baseUrl();
        gone.close();
        return url;
    }
}
