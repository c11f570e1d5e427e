package io.openautoglm.core;

import java.time.Duration;

/** A run's progress: records done so far (succeeded plus failed) and the time since it started. */
public record Progress(long done, long succeeded, long failed, Duration elapsed) {

    /** Records per second so far. */
    public double rate() {
        long ms = elapsed.toMillis();
        return ms == 0 ? 0 : done * 1000.0 / ms;
    }
}
