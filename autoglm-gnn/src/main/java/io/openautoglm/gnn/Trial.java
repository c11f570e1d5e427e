package io.openautoglm.gnn;

/**
 * One evaluated configuration of a search: a leaderboard row.
 *
 * @param number 1-based order of evaluation
 * @param phase which stage ran it
 * @param architecture the architecture trained
 * @param hyperParameters the optimiser settings used
 * @param valScore validation accuracy (node classification) or AUC (link prediction), averaged over
 *     {@code seeds} runs
 * @param seeds number of seeds averaged
 * @param seconds wall time of the trial
 * @param elapsedSeconds time since the search started, at the end of this trial
 */
public record Trial(
        int number,
        Phase phase,
        Architecture architecture,
        HyperParameters hyperParameters,
        double valScore,
        int seeds,
        double seconds,
        double elapsedSeconds) {

    /** Search stages. */
    public enum Phase {
        /** Architecture search (controller or random). */
        SEARCH,
        /** Hyper-parameter tuning of the best architectures. */
        TUNE
    }
}
