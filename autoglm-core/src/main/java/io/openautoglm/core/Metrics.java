package io.openautoglm.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation of a run against gold answers, one type per task. Only records that have a gold answer
 * and a prediction are counted in {@link #evaluated()}; failed records are counted by the
 * {@link PipelineResult}, not here.
 */
public sealed interface Metrics {

    /** How many records were scored. */
    long evaluated();

    /** A multi-line human-readable report. */
    String report();

    /**
     * The one number a run of this task is judged by: accuracy for classification and matching, entity micro-F1 for
     * NER; {@link #primaryName()} says which.
     */
    double primary();

    /** What {@link #primary()} measures: {@code accuracy} or {@code entity micro-F1}. */
    String primaryName();

    /**
     * Accuracy, macro-F1, per-label P/R/F1 and the confusion matrix (rows gold, columns predicted). Macro-F1 is the
     * mean F1 over the labels that occur in the gold labels or the predictions; a label that occurs in neither is
     * listed with zero counts but left out of the mean.
     */
    record ClassificationMetrics(
            long evaluated,
            double accuracy,
            double macroF1,
            Map<String, Prf> perLabel,
            List<String> labels,
            long[][] confusion)
            implements Metrics {
        public ClassificationMetrics {
            perLabel = Collections.unmodifiableMap(new LinkedHashMap<>(perLabel));
            labels = List.copyOf(labels);
        }

        @Override
        public double primary() {
            return accuracy;
        }

        @Override
        public String primaryName() {
            return "accuracy";
        }

        @Override
        public String report() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("accuracy %.4f  macro-F1 %.4f  (n=%d)%n", accuracy, macroF1, evaluated));
            sb.append(String.format("%-16s %9s %9s %9s %8s%n", "label", "precision", "recall", "f1", "support"));
            perLabel.forEach((label, prf) -> sb.append(String.format(
                    "%-16s %9.4f %9.4f %9.4f %8d%n", label, prf.precision(), prf.recall(), prf.f1(), prf.support())));
            sb.append("confusion (rows gold, columns predicted): ")
                    .append(labels)
                    .append('\n');
            for (int i = 0; i < labels.size(); i++) {
                sb.append(String.format("%-16s", labels.get(i)));
                for (long c : confusion[i]) {
                    sb.append(String.format(" %7d", c));
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    /** Entity-level exact-match (start, end and type) P/R/F1, micro-averaged and per type. */
    record EntityMetrics(long evaluated, Prf micro, Map<String, Prf> perType) implements Metrics {
        public EntityMetrics {
            perType = Collections.unmodifiableMap(new LinkedHashMap<>(perType));
        }

        @Override
        public double primary() {
            return micro.f1();
        }

        @Override
        public String primaryName() {
            return "entity micro-F1";
        }

        @Override
        public String report() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(
                    "entity micro P %.4f  R %.4f  F1 %.4f  (texts=%d)%n",
                    micro.precision(), micro.recall(), micro.f1(), evaluated));
            perType.forEach((type, prf) -> sb.append(String.format(
                    "%-16s P %.4f  R %.4f  F1 %.4f  support %d%n",
                    type, prf.precision(), prf.recall(), prf.f1(), prf.support())));
            return sb.toString();
        }
    }

    /** Pair accuracy and P/R/F1 of the positive ("match") class. */
    record MatchingMetrics(long evaluated, double accuracy, Prf positive) implements Metrics {
        @Override
        public double primary() {
            return accuracy;
        }

        @Override
        public String primaryName() {
            return "accuracy";
        }

        @Override
        public String report() {
            return String.format(
                    "pair accuracy %.4f  positive P %.4f  R %.4f  F1 %.4f  (n=%d, positives=%d)%n",
                    accuracy, positive.precision(), positive.recall(), positive.f1(), evaluated, positive.support());
        }
    }
}
