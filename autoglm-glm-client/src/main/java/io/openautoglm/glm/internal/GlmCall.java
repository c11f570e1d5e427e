package io.openautoglm.glm.internal;

import io.openautoglm.glm.ChatResponse;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One call as the chain sees it across its attempts: how its answer is read, the attempt under way, the endpoints
 * that already failed it, whether content already reached the caller, whether it was cancelled, and the single
 * uncounted repeat a renewed credential may ask for.
 *
 * <p>A call whose caller never shows streamed content to anyone (the provider's) may ask that unfinished answers be
 * repeated too: an answer that ends in {@code finish_reason: network_error}, and a stream cut after content had
 * arrived. Each such answer was paid for, so it is handed to {@code unfinishedAnswers} before the repeat.
 *
 * <p>Used by the thread that makes the call; only {@link #cancellation()} is touched from other threads.
 */
public final class GlmCall<T> {
    private final ResponseReader<T> reader;
    private final Cancellation cancellation;
    private final Consumer<ChatResponse> unfinishedAnswers;
    private final Set<EndpointPool.State> avoid = new HashSet<>();
    private final AtomicBoolean delivered = new AtomicBoolean();
    private int attempt;
    private boolean freeRepeatUsed;
    private boolean freeRepeatPending;

    /** A call that cannot be cancelled and repeats only failed attempts. */
    public GlmCall(ResponseReader<T> reader) {
        this(reader, null, null);
    }

    /**
     * @param cancellation      cancels the call from another thread, or {@code null}
     * @param unfinishedAnswers receives each unfinished answer before it is repeated; {@code null} to repeat none
     */
    public GlmCall(ResponseReader<T> reader, Cancellation cancellation, Consumer<ChatResponse> unfinishedAnswers) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.cancellation = cancellation;
        this.unfinishedAnswers = unfinishedAnswers;
    }

    public ResponseReader<T> reader() {
        return reader;
    }

    /** The attempt under way, from 1; 0 before the first. */
    public int attempt() {
        return attempt;
    }

    /** Starts attempt {@code n}: nothing of it has reached the caller yet. */
    public void startAttempt(int n) {
        attempt = n;
        delivered.set(false);
    }

    /** Set once streamed content of this attempt has reached the caller. */
    public AtomicBoolean delivered() {
        return delivered;
    }

    /** The endpoints that failed this call, for the next attempt to avoid. */
    public Set<EndpointPool.State> avoid() {
        return avoid;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    public boolean cancelled() {
        return cancellation != null && cancellation.cancelled();
    }

    /** Ties the HTTP call of this attempt to the call's cancellation. */
    public void track(okhttp3.Call http) {
        if (cancellation != null) {
            cancellation.track(http);
        }
    }

    /** Whether unfinished answers are repeated; see the class comment. */
    public boolean repeatsUnfinished() {
        return unfinishedAnswers != null;
    }

    /** Hands an unfinished, paid answer over before it is repeated. */
    public void unfinished(ChatResponse answer) {
        if (unfinishedAnswers != null) {
            unfinishedAnswers.accept(answer);
        }
    }

    /**
     * Asks for one repeat of the failed attempt that does not count as an attempt, after the credential was renewed.
     * Granted once per call.
     *
     * @return whether it was granted
     */
    public boolean grantFreeRepeat() {
        if (freeRepeatUsed) {
            return false;
        }
        freeRepeatUsed = true;
        freeRepeatPending = true;
        return true;
    }

    /** Whether a free repeat was granted for the attempt that just failed; clears it. */
    public boolean takeFreeRepeat() {
        boolean p = freeRepeatPending;
        freeRepeatPending = false;
        return p;
    }
}
