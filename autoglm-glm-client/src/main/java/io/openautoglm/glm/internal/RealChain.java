package io.openautoglm.glm.internal;

import java.util.List;
import java.util.Objects;

/**
 * The chain as the client runs it: interceptor {@code index} gets a chain positioned after itself. Misuse fails at
 * once with a message naming the interceptor at fault. Immutable; each call gets its own chains.
 */
public final class RealChain<T> implements Interceptor.Chain<T> {
    private final List<Interceptor> interceptors;
    private final int index;
    private final GlmRequest request;
    private final GlmCall<T> call;

    private RealChain(List<Interceptor> interceptors, int index, GlmRequest request, GlmCall<T> call) {
        this.interceptors = interceptors;
        this.index = index;
        this.request = request;
        this.call = call;
    }

    /** Runs {@code request} through {@code interceptors}, of which the last must answer without proceeding. */
    public static <T> T run(List<Interceptor> interceptors, GlmRequest request, GlmCall<T> call) {
        if (interceptors.isEmpty()) {
            throw new IllegalArgumentException("interceptors: the chain needs at least the HTTP call at its end");
        }
        return new RealChain<>(List.copyOf(interceptors), 0, request, call).proceed(request);
    }

    @Override
    public GlmRequest request() {
        return request;
    }

    @Override
    public GlmCall<T> call() {
        return call;
    }

    @Override
    public T proceed(GlmRequest next) {
        Objects.requireNonNull(next, "request");
        if (index >= interceptors.size()) {
            throw new IllegalStateException(name(index - 1) + " called proceed() but is the last interceptor: "
                    + "the chain must end in one that answers (HttpCall)");
        }
        T result = interceptors.get(index).intercept(new RealChain<>(interceptors, index + 1, next, call));
        if (result == null) {
            throw new IllegalStateException(
                    name(index) + " returned null; an interceptor returns an answer or " + "throws");
        }
        return result;
    }

    private String name(int i) {
        return "interceptor " + i + " (" + interceptors.get(i).getClass().getName() + ")";
    }
}
