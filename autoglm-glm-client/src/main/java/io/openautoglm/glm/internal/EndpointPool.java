package io.openautoglm.glm.internal;

import io.openautoglm.glm.Endpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the endpoint for each attempt, like a client-side load balancer. Among the primary endpoints that are
 * in, two are drawn by weight and the one with fewer requests in flight per unit of weight wins ("power of two
 * choices"), which follows the weights when idle and evens out load when busy. Backup endpoints are used only
 * while no primary is in. After {@code failureThreshold} consecutive failures an endpoint is taken out for
 * {@code cooldown}; then a single request is let through as a probe, and its success brings the endpoint back.
 * When every endpoint is out, the one due back first is tried anyway: a call is never refused for lack of an
 * endpoint. Thread-safe.
 */
public final class EndpointPool {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointPool.class);

    /** One endpoint's live state. */
    public static final class State {
        private final Endpoint endpoint;
        private int inFlight;
        private int consecutiveFailures;
        private long outUntil;
        private boolean out;
        private boolean probing;

        State(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        public Endpoint endpoint() {
            return endpoint;
        }
    }

    private final List<State> states = new ArrayList<>();
    private final Clock clock;
    private final int failureThreshold;
    private final long cooldownMillis;
    private final RandomGenerator random;

    public EndpointPool(
            List<Endpoint> endpoints, Clock clock, int failureThreshold, Duration cooldown, RandomGenerator random) {
        endpoints.forEach(e -> states.add(new State(e)));
        this.clock = clock;
        this.failureThreshold = failureThreshold;
        this.cooldownMillis = cooldown.toMillis();
        this.random = random;
    }

    public int size() {
        return states.size();
    }

    public synchronized State acquire(Set<State> avoid) {
        long now = clock.millis();
        List<State> pick = usable(false, avoid, now);
        if (pick.isEmpty()) {
            pick = usable(true, avoid, now);
        }
        if (pick.isEmpty() && !avoid.isEmpty()) {
            pick = usable(false, Set.of(), now);
            if (pick.isEmpty()) {
                pick = usable(true, Set.of(), now);
            }
        }
        State chosen;
        if (pick.isEmpty()) {
            chosen = states.get(0);
            for (State s : states) {
                if (s.outUntil < chosen.outUntil) {
                    chosen = s;
                }
            }
        } else if (pick.size() == 1) {
            chosen = pick.get(0);
        } else {
            State a = weighted(pick);
            State b = weighted(pick);
            chosen = load(b) < load(a) ? b : a;
        }
        if (chosen.out) {
            chosen.probing = true;
        }
        chosen.inFlight++;
        return chosen;
    }

    /** Ends an attempt. {@code endpointFault} says whether the failure counts against the endpoint. */
    public synchronized void release(State s, boolean success, boolean endpointFault) {
        s.inFlight--;
        if (success || !endpointFault) {
            s.consecutiveFailures = 0;
            if (s.out) {
                LOG.info("GLM endpoint {} answered again and is back in", s.endpoint.name());
            }
            s.out = false;
            s.probing = false;
            return;
        }
        s.consecutiveFailures++;
        if (s.probing || (!s.out && s.consecutiveFailures >= failureThreshold)) {
            if (!s.out) {
                LOG.warn(
                        "GLM endpoint {} failed {} times in a row: taken out for {} ms",
                        s.endpoint.name(),
                        s.consecutiveFailures,
                        cooldownMillis);
            }
            s.out = true;
            s.probing = false;
            s.outUntil = clock.millis() + cooldownMillis;
        }
    }

    /** Whether each endpoint is in, by name. */
    public synchronized java.util.Map<String, Boolean> health() {
        java.util.Map<String, Boolean> m = new java.util.LinkedHashMap<>();
        for (State s : states) {
            m.put(s.endpoint.name(), !s.out);
        }
        return m;
    }

    private List<State> usable(boolean backups, Set<State> avoid, long now) {
        List<State> out = new ArrayList<>();
        for (State s : states) {
            if (s.endpoint.backup() != backups || avoid.contains(s)) {
                continue;
            }
            if (!s.out || (now >= s.outUntil && !s.probing)) {
                out.add(s);
            }
        }
        return out;
    }

    private State weighted(List<State> pick) {
        int total = 0;
        for (State s : pick) {
            total += s.endpoint.weight();
        }
        int r = random.nextInt(total);
        for (State s : pick) {
            r -= s.endpoint.weight();
            if (r < 0) {
                return s;
            }
        }
        return pick.get(pick.size() - 1);
    }

    private static double load(State s) {
        return (double) s.inFlight / s.endpoint.weight();
    }
}
