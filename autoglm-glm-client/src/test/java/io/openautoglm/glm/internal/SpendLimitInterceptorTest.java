package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.glm.SpendLimit;
import io.openautoglm.glm.SpendLimitExceededException;
import org.junit.jupiter.api.Test;

/** The budget step alone: nothing is sent once the budget is spent. */
class SpendLimitInterceptorTest {

    @Test
    void callsPassUntilTheBudgetIsSpentThenNothingIsSent() {
        SpendLimit budget = SpendLimit.ofTokens(100);
        SpendLimitInterceptor limit = new SpendLimitInterceptor(budget);
        FakeChain<String> chain = FakeChain.of("glm-4-flash", r -> "ok");
        assertEquals("ok", chain.run(limit));
        budget.record(100, 0);
        SpendLimitExceededException e = assertThrows(SpendLimitExceededException.class, () -> chain.run(limit));
        assertTrue(
                e.getMessage().startsWith("budget exhausted: SpendLimit[")
                        && e.getMessage().contains("glm-4-flash")
                        && e.getMessage().endsWith("was not sent"),
                e.getMessage());
        assertEquals(1, chain.proceeded.size());
    }
}
