package io.openautoglm.glm.internal;

import okhttp3.Call;

/**
 * The HTTP call in flight for one asynchronous request, so that cancelling its future can cancel the call. A
 * cancelled call starts no further attempt. Thread-safe.
 */
public final class Cancellation {
    private volatile boolean cancelled;
    private Call call;

    public synchronized void cancel() {
        cancelled = true;
        if (call != null) {
            call.cancel();
        }
    }

    synchronized void track(Call c) {
        call = c;
        if (cancelled) {
            c.cancel();
        }
    }

    public boolean cancelled() {
        return cancelled;
    }
}
