package io.openautoglm.prompt;

import io.openautoglm.core.Usage;
import java.util.Objects;

/**
 * One scored point of a trajectory: the spec tried, what changed, its dev score and what scoring (and
 * proposing) it cost.
 *
 * @param index     0-based position in the trajectory; 0 is the starting spec
 * @param optimizer the optimiser that proposed it
 * @param note      what this candidate changed, e.g. {@code label 正面 = "满意"}
 * @param spec      the spec scored
 * @param score     its dev score under the result's {@link Objective}
 * @param usage     model calls, tokens, cost and time of scoring it, generation included
 */
public record Candidate(int index, String optimizer, String note, PromptSpec spec, double score, Usage usage) {
    public Candidate {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(usage, "usage");
    }
}
