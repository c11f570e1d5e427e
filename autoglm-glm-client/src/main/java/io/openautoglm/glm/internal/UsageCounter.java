package io.openautoglm.glm.internal;

import io.openautoglm.glm.ChatResponse;
import io.openautoglm.glm.PriceTable;
import io.openautoglm.glm.SpendLimit;
import io.openautoglm.glm.TokenUsage;
import io.openautoglm.glm.UsageTotals;
import java.util.Objects;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a client has consumed: answered calls with their tokens and cost by the {@link PriceTable} (each also recorded
 * in the budget, when there is one), retries and failed calls. Thread-safe.
 */
public final class UsageCounter {
    private final PriceTable prices;
    private final SpendLimit budget;
    private final LongAdder calls = new LongAdder();
    private final LongAdder failedCalls = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();
    private final DoubleAdder cost = new DoubleAdder();

    /** @param budget the spend limit to record answers in, or {@code null} */
    public UsageCounter(PriceTable prices, SpendLimit budget) {
        this.prices = Objects.requireNonNull(prices, "prices");
        this.budget = budget;
    }

    /** Records an answer and returns it with its cost, priced by the model that answered (else the one asked). */
    public ChatResponse account(ChatResponse r, String requestedModel) {
        double c = record(r.model() != null ? r.model() : requestedModel, r.usage());
        return new ChatResponse(
                r.id(),
                r.requestId(),
                r.created(),
                r.model(),
                r.content(),
                r.reasoningContent(),
                r.toolCalls(),
                r.finishReason(),
                r.finishReasonRaw(),
                r.usage(),
                c,
                r.endpoint());
    }

    /** Records one answered call of {@code model} and returns its cost. */
    public double record(String model, TokenUsage u) {
        double c = prices.cost(model, u);
        calls.increment();
        promptTokens.add(u.promptTokens());
        completionTokens.add(u.completionTokens());
        cost.add(c);
        if (budget != null) {
            budget.record(u.totalTokens(), c);
        }
        return c;
    }

    /** A call ended in an exception. */
    public void failed() {
        failedCalls.increment();
    }

    /** An attempt is being repeated. */
    public void retried() {
        retries.increment();
    }

    public UsageTotals totals() {
        return new UsageTotals(
                calls.sum(), failedCalls.sum(), retries.sum(), promptTokens.sum(), completionTokens.sum(), cost.sum());
    }
}
