package io.openautoglm.gnn;

import java.util.List;
import java.util.Locale;

/**
 * A metric over several seeds.
 *
 * @param name e.g. "accuracy", "auc", "ap"
 * @param mean mean over seeds
 * @param std population standard deviation over seeds
 * @param values one value per seed
 */
public record MetricSummary(String name, double mean, double std, List<Double> values) {

    public MetricSummary {
        values = List.copyOf(values);
    }

    /** Summarises the values. */
    public static MetricSummary of(String name, List<Double> values) {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double var = values.stream()
                .mapToDouble(v -> (v - mean) * (v - mean))
                .average()
                .orElse(Double.NaN);
        return new MetricSummary(name, mean, Math.sqrt(var), values);
    }

    /** E.g. {@code accuracy 81.52 ± 0.61} (percent). */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %.2f ± %.2f", name, 100 * mean, 100 * std);
    }
}
