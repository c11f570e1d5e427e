package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.glm.AuthenticationException;
import io.openautoglm.glm.ChatResponse;
import io.openautoglm.glm.ContentFilterException;
import io.openautoglm.glm.FinishReason;
import io.openautoglm.glm.GlmException;
import io.openautoglm.glm.GlmNetworkException;
import io.openautoglm.glm.NonRetriableGlmException;
import io.openautoglm.glm.PriceTable;
import io.openautoglm.glm.RateLimitException;
import io.openautoglm.glm.RetryPolicy;
import io.openautoglm.glm.ServerException;
import io.openautoglm.glm.SpendLimitExceededException;
import io.openautoglm.glm.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The retry step alone: what it repeats, how long it waits, what it counts. */
class RetryInterceptorTest {
    private final List<Duration> sleeps = new ArrayList<>();
    private final UsageCounter usage = new UsageCounter(PriceTable.defaults(), null);
    private boolean closed;

    private RetryInterceptor retry(int attempts) {
        RetryPolicy policy = RetryPolicy.builder()
                .maxAttempts(attempts)
                .initialDelay(Duration.ofMillis(100))
                .multiplier(2)
                .jitter(0)
                .build();
        return new RetryInterceptor(policy, sleeps::add, new java.util.SplittableRandom(7), usage, () -> closed);
    }

    /** Answers with each step in turn: a value is returned, an exception thrown. */
    @SafeVarargs
    private static <T> Function<GlmRequest, T> script(Function<GlmRequest, T>... steps) {
        Iterator<Function<GlmRequest, T>> it = List.of(steps).iterator();
        return r -> it.next().apply(r);
    }

    private static <T> Function<GlmRequest, T> fail(GlmException e) {
        return r -> {
            throw e;
        };
    }

    private static ChatResponse answer(FinishReason finish) {
        return new ChatResponse(
                "id",
                null,
                0,
                "glm-4-flash",
                "text",
                null,
                List.of(),
                finish,
                finish.name().toLowerCase(),
                new TokenUsage(10, 5, 15, 0),
                0,
                "main");
    }

    @Test
    void retriableFailuresAreRepeatedAfterTheBackoffOrTheServersRetryAfter() {
        FakeChain<String> chain = FakeChain.of(
                "glm-4-flash",
                script(
                        fail(new ServerException("500", 500, null, null)),
                        fail(new GlmNetworkException("reset", null)),
                        fail(new RateLimitException("1302", 429, "1302", Duration.ofSeconds(3))),
                        r -> "ok"));
        assertEquals("ok", chain.run(retry(4)));
        assertEquals(4, chain.proceeded.size());
        assertEquals(4, chain.call().attempt());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(3)), sleeps);
        assertEquals(3, usage.totals().retries());
        assertEquals(0, usage.totals().failedCalls());
    }

    @Test
    void nonRetriableFailuresAndTheLastAttemptEndTheCall() {
        ContentFilterException filtered = new ContentFilterException("1301", 400, "1301");
        FakeChain<String> once = FakeChain.of("glm-4-flash", fail(filtered));
        assertSame(filtered, assertThrows(ContentFilterException.class, () -> once.run(retry(4))));
        assertEquals(1, once.proceeded.size());
        assertEquals(List.of(), sleeps);

        ServerException down = new ServerException("500", 500, null, null);
        FakeChain<String> always = FakeChain.of("glm-4-flash", fail(down));
        assertSame(down, assertThrows(ServerException.class, () -> always.run(retry(3))));
        assertEquals(3, always.proceeded.size());
        assertEquals(2, sleeps.size());
        assertEquals(2, usage.totals().failedCalls());
    }

    @Test
    void aStreamWhoseContentReachedTheCallerIsRepeatedOnlyForCallersThatAskForIt() {
        GlmNetworkException cut = new GlmNetworkException("cut", null, "partial");
        FakeChain<String> plain = FakeChain.of("glm-4-flash", r -> {
            throw cut;
        });
        Function<GlmRequest, String> deliverThenCut = r -> {
            plain.call().delivered().set(true);
            throw cut;
        };
        FakeChain<String> seen = new FakeChain<>(FakeChain.request("glm-4-flash"), plain.call(), deliverThenCut);
        assertSame(cut, assertThrows(GlmNetworkException.class, () -> seen.run(retry(4))));
        assertEquals(1, seen.proceeded.size(), "the caller saw content: not repeated behind its back");

        List<ChatResponse> unfinished = new ArrayList<>();
        GlmCall<String> silent = new GlmCall<>((response, ep, d) -> "unused", null, unfinished::add);
        FakeChain<String> repeated = new FakeChain<>(
                FakeChain.request("glm-4-flash"),
                silent,
                script(
                        r -> {
                            silent.delivered().set(true);
                            throw cut;
                        },
                        r -> "ok"));
        assertEquals("ok", repeated.run(retry(4)));
        assertEquals(2, repeated.proceeded.size());
        assertEquals(List.of(), unfinished, "a cut stream is no answer");
    }

    @Test
    void aNetworkErrorAnswerIsRepeatedOnlyWhenAskedAndHandedOverFirst() {
        ChatResponse broken = answer(FinishReason.NETWORK_ERROR);
        ChatResponse whole = answer(FinishReason.STOP);
        FakeChain<ChatResponse> plain = FakeChain.of("glm-4-flash", script(r -> broken, r -> whole));
        assertSame(broken, plain.run(retry(4)), "a plain call returns the answer as it came");

        List<ChatResponse> unfinished = new ArrayList<>();
        GlmCall<ChatResponse> call = new GlmCall<>((response, ep, d) -> whole, null, unfinished::add);
        FakeChain<ChatResponse> asked =
                new FakeChain<>(FakeChain.request("glm-4-flash"), call, script(r -> broken, r -> whole));
        assertSame(whole, asked.run(retry(4)));
        assertEquals(List.of(broken), unfinished);
        assertEquals(List.of(Duration.ofMillis(100)), sleeps);

        GlmCall<ChatResponse> last = new GlmCall<>((response, ep, d) -> whole, null, unfinished::add);
        FakeChain<ChatResponse> always = new FakeChain<>(FakeChain.request("glm-4-flash"), last, r -> broken);
        assertSame(broken, always.run(retry(2)), "the last attempt's answer is returned, unfinished as it is");
        assertEquals(2, always.proceeded.size());
    }

    @Test
    void aRenewedCredentialGetsOneRepeatThatIsNotAnAttempt() {
        AuthenticationException expired = new AuthenticationException("1003", 401, "1003");
        FakeChain<String> chain = FakeChain.of("glm-4-flash", null);
        FakeChain<String> renewing = new FakeChain<>(
                chain.request(),
                chain.call(),
                script(
                        r -> {
                            assertTrue(chain.call().grantFreeRepeat());
                            throw expired;
                        },
                        r -> "ok"));
        assertEquals("ok", renewing.run(retry(1)), "repeated although the policy allows one attempt");
        assertEquals(List.of(), sleeps);
        assertEquals(0, usage.totals().retries());
    }

    @Test
    void aClosedClientOrACancelledCallStartsNoFurtherAttempt() {
        closed = true;
        FakeChain<String> onClosed = FakeChain.of("glm-4-flash", r -> "ok");
        NonRetriableGlmException e = assertThrows(NonRetriableGlmException.class, () -> onClosed.run(retry(4)));
        assertEquals("this GlmClient is closed", e.getMessage());
        assertEquals(0, onClosed.proceeded.size());
        closed = false;

        Cancellation cancellation = new Cancellation();
        GlmCall<String> call = new GlmCall<>((response, ep, d) -> "unused", cancellation, null);
        ServerException down = new ServerException("500", 500, null, null);
        FakeChain<String> cancelled = new FakeChain<>(FakeChain.request("glm-4-flash"), call, r -> {
            cancellation.cancel();
            throw down;
        });
        e = assertThrows(NonRetriableGlmException.class, () -> cancelled.run(retry(4)));
        assertEquals("GLM call to glm-4-flash cancelled", e.getMessage());
        assertSame(down, e.getCause());
        assertEquals(1, cancelled.proceeded.size());
    }

    @Test
    void aSpentBudgetIsNotAFailedCallAndTheCallersOwnExceptionsAreNotRetried() {
        FakeChain<String> spent = FakeChain.of("glm-4-flash", fail(new SpendLimitExceededException("spent")));
        assertThrows(SpendLimitExceededException.class, () -> spent.run(retry(4)));
        assertEquals(0, usage.totals().failedCalls());

        FakeChain<String> consumerThrew = FakeChain.of("glm-4-flash", r -> {
            throw new IllegalStateException("the consumer's own bug");
        });
        assertThrows(IllegalStateException.class, () -> consumerThrew.run(retry(4)));
        assertEquals(1, consumerThrew.proceeded.size());
        assertEquals(1, usage.totals().failedCalls());
    }
}
