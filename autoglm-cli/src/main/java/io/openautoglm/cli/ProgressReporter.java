package io.openautoglm.cli;

import io.openautoglm.core.Progress;
import io.openautoglm.core.ProgressListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows a run's progress on stderr: a bar redrawn in place on a terminal (records done, share, rate, ETA, failures),
 * or plain lines every few seconds when stderr goes to a file or a pipe, such as
 * {@code progress: 32 records (30 ok, 2 failed), 12.3/s}. Called from the thread that delivers results; the
 * record count for the ETA may arrive from another thread.
 */
final class ProgressReporter implements ProgressListener {
    /** How progress is shown. */
    enum Mode {
        /** A bar on a terminal, plain lines otherwise. */
        AUTO,
        BAR,
        PLAIN,
        NONE
    }

    private static final int WIDTH = 28;
    private static final long BAR_EVERY_NANOS = 100_000_000L;

    private final Mode mode;
    private final PrintWriter err;
    private final long plainEveryNanos;
    private final long started = System.nanoTime();
    private volatile long total = -1;
    private long lastShown;
    private int lastWidth;
    private Progress last;

    private ProgressReporter(Mode mode, PrintWriter err, Duration plainEvery) {
        this.mode = mode;
        this.err = err;
        this.plainEveryNanos = plainEvery.toNanos();
        this.lastShown = started;
    }

    /** A reporter; {@link Mode#auto} resolves to a bar on a terminal and plain lines otherwise. */
    static ProgressReporter create(Mode mode, PrintWriter err, Duration plainEvery) {
        Mode m = mode == Mode.AUTO ? (isTerminal() ? Mode.BAR : Mode.PLAIN) : mode;
        return new ProgressReporter(m, err, plainEvery);
    }

    /** Whether a person watches: a console, and on Java 22 and later one that is a terminal. */
    static boolean isTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            // Java 22 gives a console even when redirected; Console.isTerminal() says whether it is one
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    Mode mode() {
        return mode;
    }

    /** Whether a total is worth counting: only the bar shows a share and an ETA. */
    boolean wantsTotal() {
        return mode == Mode.BAR;
    }

    /** The number of records the run will take, once known. */
    void total(long records) {
        this.total = records;
    }

    @Override
    public synchronized void onProgress(Progress p) {
        last = p;
        long now = System.nanoTime();
        switch (mode) {
            case BAR -> {
                if (now - lastShown >= BAR_EVERY_NANOS) {
                    lastShown = now;
                    drawBar(p);
                }
            }
            case PLAIN -> {
                if (now - lastShown >= plainEveryNanos) {
                    lastShown = now;
                    err.println(plainLine(p));
                    err.flush();
                }
            }
            default -> {}
        }
    }

    /** Shows the final state: the full bar ended by a line break, or a last plain line. */
    synchronized void finish() {
        if (last == null) {
            return;
        }
        if (mode == Mode.BAR) {
            drawBar(last);
            err.println();
            err.flush();
        } else if (mode == Mode.PLAIN) {
            err.println(plainLine(last));
            err.flush();
        }
    }

    static String plainLine(Progress p) {
        return String.format(
                Locale.ROOT,
                "progress: %d records (%d ok, %d failed), %.1f/s",
                p.done(),
                p.succeeded(),
                p.failed(),
                p.rate());
    }

    private void drawBar(Progress p) {
        long t = total;
        StringBuilder sb = new StringBuilder("\r");
        if (t > 0) {
            double share = Math.min(1.0, p.done() / (double) t);
            int filled = (int) Math.round(share * WIDTH);
            sb.append('[').append("=".repeat(filled));
            if (filled < WIDTH) {
                sb.append('>').append(" ".repeat(WIDTH - filled - 1));
            }
            sb.append(String.format(Locale.ROOT, "] %d/%d %3.0f%%", p.done(), t, share * 100));
        } else {
            sb.append(String.format(Locale.ROOT, "%d records", p.done()));
        }
        sb.append(String.format(Locale.ROOT, "  %.1f/s", p.rate()));
        if (t > 0 && p.rate() > 0 && p.done() < t) {
            sb.append("  ETA ").append(clock((long) Math.ceil((t - p.done()) / p.rate())));
        } else {
            sb.append("  ").append(clock(p.elapsed().toSeconds()));
        }
        if (p.failed() > 0) {
            sb.append("  ").append(p.failed()).append(" failed");
        }
        int width = sb.length();
        if (width < lastWidth) {
            sb.append(" ".repeat(lastWidth - width)); // wipe the end of a longer line before
        }
        lastWidth = width;
        err.print(sb);
        err.flush();
    }

    private static String clock(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
