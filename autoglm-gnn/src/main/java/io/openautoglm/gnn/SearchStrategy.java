package io.openautoglm.gnn;

/** How architectures are proposed during the search. */
public enum SearchStrategy {
    /** A REINFORCE policy-gradient controller with a moving-average baseline, started from the prior. */
    REINFORCE,
    /** Uniform random sampling from the same space: the comparison baseline. */
    RANDOM
}
