package io.openautoglm.prompt;

/** Why an optimiser stopped: a {@link Budget} limit, no further improvement, or nothing left to try. */
public enum StopReason {
    /** {@link Budget#maxCandidates()} candidates were scored. */
    MAX_CANDIDATES,
    /** {@link Budget#maxModelCalls()} model calls were made (scoring and generation together). */
    MAX_MODEL_CALLS,
    /** {@link Budget#maxTokens()} tokens were used. */
    MAX_TOKENS,
    /** {@link Budget#maxCost()} was spent. */
    MAX_COST,
    /** {@link Budget#maxWallTime()} elapsed. */
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
