package io.openautoglm.prompt;

import io.openautoglm.core.SearchBudget;

/** Why an optimiser stopped: a {@link SearchBudget} limit, no further improvement, or nothing left to try. */
public enum StopReason {
    /** {@link SearchBudget#maxCandidates()} candidates were scored. */
    MAX_CANDIDATES,
    /** {@link SearchBudget#maxModelCalls()} model calls were made (scoring and generation together). */
    MAX_MODEL_CALLS,
    /** {@link SearchBudget#maxTokens()} tokens were used. */
    MAX_TOKENS,
    /** {@link SearchBudget#maxCost()} was spent. */
    MAX_COST,
    /** {@link SearchBudget#maxWallTime()} elapsed. */
    MAX_WALL_TIME,
    /** The optimiser's patience ran out: several rounds without a better dev score. */
    NO_IMPROVEMENT,
    /** Every candidate the optimiser could form was scored. */
    EXHAUSTED;

    /** Whether a budget limit, rather than the search itself, ended the run. */
    public boolean isBudgetLimit() {
        return ordinal() <= MAX_WALL_TIME.ordinal();
    }
}
