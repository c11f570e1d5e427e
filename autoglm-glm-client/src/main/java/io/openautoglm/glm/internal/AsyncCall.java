package io.openautoglm.glm.internal;

import io.openautoglm.glm.NonRetriableGlmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/** A blocking call run on an executor, whose future cancels it when completed first; and a client's own threads. */
public final class AsyncCall {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private AsyncCall() {}

    /** A client's own executor: daemon threads made as needed, named {@code glm-async-<n>}. */
    public static ExecutorService ownThreads() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "glm-async-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code call} on {@code executor}. The future fails with the call's exception itself. Completing the future
     * any other way before the answer (cancel, {@code orTimeout}) cancels the call through its {@link Cancellation}.
     */
    public static <T> CompletableFuture<T> submit(
            Executor executor, String model, BooleanSupplier closed, Function<Cancellation, T> call) {
        if (closed.getAsBoolean()) {
            return CompletableFuture.failedFuture(CallFailures.closed());
        }
        Cancellation cancellation = new Cancellation();
        CompletableFuture<T> f = new CompletableFuture<>();
        f.whenComplete((r, t) -> {
            if (t != null) {
                cancellation.cancel();
            }
        });
        try {
            executor.execute(() -> {
                if (f.isDone()) {
                    return;
                }
                try {
                    f.complete(call.apply(cancellation));
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(
                    closed.getAsBoolean()
                            ? CallFailures.closed()
                            : new NonRetriableGlmException(
                                    "GLM call to " + model + " not started: the executor refused it (" + e.getMessage()
                                            + ")",
                                    e,
                                    0,
                                    null));
        }
        return f;
    }
}
