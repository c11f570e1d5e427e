package io.openautoglm.server.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code autoglm.server.requests.rejected}, by {@code reason}: rate_limited, overloaded, circuit_open, not_ready. */
@org.springframework.stereotype.Component
public final class ServerMeters {
    public static final String REJECTED = "autoglm.server.requests.rejected";

    private final MeterRegistry registry;

    public ServerMeters(org.springframework.beans.factory.ObjectProvider<MeterRegistry> registry) {
        this.registry = registry.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new);
        for (String reason : new String[] {"rate_limited", "overloaded", "circuit_open", "not_ready"}) {
            counter(reason);
        }
    }

    /** The registry the server's meters go to. */
    MeterRegistry registry() {
        return registry;
    }

    void rejected(String reason) {
        counter(reason).increment();
    }

    private Counter counter(String reason) {
        return Counter.builder(REJECTED)
                .description("Requests refused before reaching a model")
                .tag("reason", reason)
                .register(registry);
    }
}
