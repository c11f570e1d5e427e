package io.openautoglm.core;

import java.time.Duration;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A thread-safe running total of {@link Usage}; model providers add to it as calls finish. */
public final class UsageMeter {
    public UsageMeter() {}

    private final LongAdder calls = new LongAdder();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();
    private final DoubleAdder cost = new DoubleAdder();
    private final LongAdder truncated = new LongAdder();

    /** Records one finished call. */
    public void record(long promptTokenCount, long completionTokenCount, double callCost) {
        calls.increment();
        promptTokens.add(promptTokenCount);
        completionTokens.add(completionTokenCount);
        cost.add(callCost);
    }

    /** Records that texts were cut to fit the model's input limit. */
    public void recordTruncated(long texts) {
        truncated.add(texts);
    }

    /** Texts cut so far. */
    public long truncated() {
        return truncated.sum();
    }

    /** The totals so far, with the given elapsed time. */
    public Usage snapshot(Duration elapsed) {
        return new Usage(calls.sum(), promptTokens.sum(), completionTokens.sum(), cost.sum(), elapsed);
    }
}
