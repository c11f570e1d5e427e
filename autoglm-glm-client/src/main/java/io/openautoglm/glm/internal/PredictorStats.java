package io.openautoglm.glm.internal;

import java.util.concurrent.atomic.LongAdder;

/** Where each record's answer came from: the API, the journal or the cache. Thread-safe. */
public final class PredictorStats {
    final LongAdder apiCalls = new LongAdder();
    final LongAdder journalHits = new LongAdder();
    final LongAdder cacheHits = new LongAdder();
    final LongAdder failures = new LongAdder();

    public long apiCalls() {
        return apiCalls.sum();
    }

    public long journalHits() {
        return journalHits.sum();
    }

    public long cacheHits() {
        return cacheHits.sum();
    }

    public long failures() {
        return failures.sum();
    }

    @Override
    public String toString() {
        return "api calls " + apiCalls() + ", journal hits " + journalHits() + ", cache hits " + cacheHits()
                + ", failed records " + failures();
    }
}
