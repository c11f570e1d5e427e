package io.openautoglm.gnn;

import java.util.Map;

/**
 * What one training run produced: validation score and loss at the kept (best validation) epoch, test
 * metrics there, epochs and timing.
 *
 * <pre>{@code
 * try (GnnModel model = trainer.fit(graph, 42)) {
 *   double acc = model.report().test().get("accuracy");
 * }
 * }</pre>
 *
 * @param valScore validation accuracy (node classification) or validation AUC (link prediction) at the
 *     best epoch
 * @param valLoss validation loss at the best epoch
 * @param test test metrics at the best epoch (accuracy, or auc and ap)
 * @param epochs epochs run
 * @param bestEpoch epoch whose weights were kept (1-based)
 * @param trainSecondsPerEpoch mean time of one training step (forward, backward, update)
 * @param seconds wall time of the whole run, evaluation included
 * @param parameters number of trained weights (a link decoder's included)
 */
public record TrainingReport(
        double valScore,
        double valLoss,
        Map<String, Double> test,
        int epochs,
        int bestEpoch,
        double trainSecondsPerEpoch,
        double seconds,
        long parameters) {

    public TrainingReport {
        test = Map.copyOf(test);
    }
}
