package io.openautoglm.examples.glm;

import io.openautoglm.glm.testing.GlmTestServer;
import java.io.IOException;
import java.time.Duration;

/**
 * The GLM-protocol test server as its own process, on 127.0.0.1 only, so that a benchmark measures the client's CPU
 * without the server's. Prints {@code READY <base url>} and serves until its standard input closes (or 10 minutes
 * pass).
 *
 * <pre>
 * java -cp ... io.openautoglm.examples.glm.GlmLocalServer [latencyMs=50]
 * </pre>
 */
public final class GlmLocalServer {
    private GlmLocalServer() {}

    public static void main(String[] args) throws IOException {
        long latency = args.length > 0 ? Long.parseLong(args[0]) : 50;
        try (GlmTestServer server = GlmTestServer.builder()
                .latency(Duration.ofMillis(latency))
                .answerer(GlmBench::answer)
                .build()
                .start()) {
            System.out.println("READY " + server.baseUrl());
            System.out.flush();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (System.in.read() >= 0 && System.nanoTime() < deadline) {
                // Serve until the parent closes our stdin (it exits or kills us).
            }
            System.out.println("STATS requests=" + server.requestCount() + " maxInFlight=" + server.maxInFlightSeen());
        }
    }
}
