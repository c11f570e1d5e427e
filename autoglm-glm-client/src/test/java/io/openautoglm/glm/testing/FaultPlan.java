package io.openautoglm.glm.testing;

import io.openautoglm.glm.testing.GlmTestServer.ChatCall;
import io.openautoglm.glm.testing.GlmTestServer.Fault;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Which fault, if any, each call gets: the call's own rule first (chat calls only), then the scripted faults in
 * order, then a random one at the configured rate; and how many of each were given. Thread-safe.
 */
final class FaultPlan {
    private final Function<ChatCall, Fault> rule;
    private final double rate;
    private final List<Fault> mix;
    private final Random random;
    private final Deque<Fault> scripted = new ArrayDeque<>();
    private final Map<Fault, AtomicLong> given = new EnumMap<>(Fault.class);

    FaultPlan(Function<ChatCall, Fault> rule, double rate, List<Fault> mix, long seed) {
        this.rule = rule;
        this.rate = rate;
        this.mix = List.copyOf(mix);
        this.random = new Random(seed);
        for (Fault f : Fault.values()) {
            given.put(f, new AtomicLong());
        }
    }

    void enqueue(Fault... next) {
        synchronized (scripted) {
            scripted.addAll(List.of(next));
        }
    }

    /** The fault of a chat call, or {@code null}. */
    Fault forChat(ChatCall call) {
        Fault f = rule.apply(call);
        return f != null ? counted(f) : next();
    }

    /** The fault of any other call, or {@code null}. */
    Fault next() {
        synchronized (scripted) {
            if (!scripted.isEmpty()) {
                return counted(scripted.poll());
            }
            if (rate > 0 && !mix.isEmpty() && random.nextDouble() < rate) {
                return counted(mix.get(random.nextInt(mix.size())));
            }
            return null;
        }
    }

    /** The faults given so far, by kind; kinds never given are left out. */
    Map<Fault, Long> counts() {
        Map<Fault, Long> m = new EnumMap<>(Fault.class);
        given.forEach((k, v) -> {
            if (v.get() > 0) {
                m.put(k, v.get());
            }
        });
        return m;
    }

    private Fault counted(Fault f) {
        given.get(f).incrementAndGet();
        return f;
    }
}
