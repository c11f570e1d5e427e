package io.openautoglm.glm.internal;

import io.openautoglm.glm.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A chain that stands for everything after the interceptor under test: it records each request handed to
 * {@link #proceed} and answers with {@code next}, which may throw. For testing one interceptor alone.
 */
final class FakeChain<T> implements Interceptor.Chain<T> {
    static final Endpoint ENDPOINT = Endpoint.builder()
            .name("main")
            .baseUrl("https://glm.example/v4/")
            .apiKey("fake-key-0123456789")
            .build();

    private final GlmRequest request;
    private final GlmCall<T> call;
    private final Function<GlmRequest, T> next;
    final List<GlmRequest> proceeded = new ArrayList<>();

    FakeChain(GlmRequest request, GlmCall<T> call, Function<GlmRequest, T> next) {
        this.request = request;
        this.call = call;
        this.next = next;
    }

    /** A chat request to {@code model} with a call whose reader is never used. */
    static <T> FakeChain<T> of(String model, Function<GlmRequest, T> next) {
        return new FakeChain<>(
                request(model),
                new GlmCall<>((response, ep, d) -> {
                    throw new AssertionError("the fake chain reads no HTTP answer");
                }),
                next);
    }

    static GlmRequest request(String model) {
        return GlmRequest.of(model, "chat/completions", "{}".getBytes(StandardCharsets.UTF_8), false);
    }

    @Override
    public GlmRequest request() {
        return request;
    }

    @Override
    public T proceed(GlmRequest r) {
        proceeded.add(r);
        return next.apply(r);
    }

    @Override
    public GlmCall<T> call() {
        return call;
    }

    /** Runs {@code interceptor} on this chain. */
    T run(Interceptor interceptor) {
        return interceptor.intercept(this);
    }
}
