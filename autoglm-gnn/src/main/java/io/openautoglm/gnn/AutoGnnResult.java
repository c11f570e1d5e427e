package io.openautoglm.gnn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.openautoglm.core.internal.chart.ProgressChart;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link AutoGnn#fit(Graph)} found: the meta-features and the search space they led to, every
 * trial, the chosen architecture and hyper-parameters, test metrics of the retrained winner over
 * several seeds, and the best of those models. Holds the model's native memory: close it.
 *
 * <pre>{@code
 * try (AutoGnnResult r = auto.fit(graph)) {
 *   r.leaderboard().stream().limit(5).forEach(System.out::println);
 *   Files.writeString(Path.of("best.json"), r.bestArchitecture().toJson());
 *   r.writeChart(Path.of("search.png"));
 * }
 * }</pre>
 *
 * <p>Not thread-safe (the model is not).
 */
public final class AutoGnnResult implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final GnnTask task;
    private final SearchStrategy strategy;
    private final MetaFeatures metaFeatures;
    private final SearchSpace searchSpace;
    private final List<Trial> trials;
    private final Architecture bestArchitecture;
    private final HyperParameters bestHyperParameters;
    private final MetricSummary validation;
    private final List<MetricSummary> testMetrics;
    private final GnnModel model;
    private final double seconds;
    private final String graphName;

    AutoGnnResult(
            GnnTask task,
            SearchStrategy strategy,
            MetaFeatures metaFeatures,
            SearchSpace searchSpace,
            List<Trial> trials,
            Architecture bestArchitecture,
            HyperParameters bestHyperParameters,
            MetricSummary validation,
            List<MetricSummary> testMetrics,
            GnnModel model,
            double seconds,
            String graphName) {
        this.task = task;
        this.strategy = strategy;
        this.metaFeatures = metaFeatures;
        this.searchSpace = searchSpace;
        this.trials = List.copyOf(trials);
        this.bestArchitecture = bestArchitecture;
        this.bestHyperParameters = bestHyperParameters;
        this.validation = validation;
        this.testMetrics = List.copyOf(testMetrics);
        this.model = model;
        this.seconds = seconds;
        this.graphName = graphName;
    }

    public GnnTask task() {
        return task;
    }

    public SearchStrategy strategy() {
        return strategy;
    }

    public MetaFeatures metaFeatures() {
        return metaFeatures;
    }

    /** The space searched (derived from the meta-features unless one was given). */
    public SearchSpace searchSpace() {
        return searchSpace;
    }

    /** Every trial in the order run. */
    public List<Trial> trials() {
        return trials;
    }

    /** Trials by validation score, best first. */
    public List<Trial> leaderboard() {
        List<Trial> l = new ArrayList<>(trials);
        l.sort(Comparator.comparingDouble(Trial::valScore).reversed());
        return l;
    }

    public Architecture bestArchitecture() {
        return bestArchitecture;
    }

    public HyperParameters bestHyperParameters() {
        return bestHyperParameters;
    }

    /** Validation score of the retrained winner over the final seeds. */
    public MetricSummary validation() {
        return validation;
    }

    /** Test metrics of the retrained winner over the final seeds (accuracy, or auc and ap). */
    public List<MetricSummary> testMetrics() {
        return testMetrics;
    }

    /** One test metric by name. */
    public MetricSummary testMetric(String name) {
        return testMetrics.stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no test metric '" + name + "'; have " + testMetrics));
    }

    /** The final model with the best validation score; closed with this result. */
    public GnnModel model() {
        return model;
    }

    /** Wall time of the whole fit. */
    public double seconds() {
        return seconds;
    }

    /** Everything but the model, as JSON. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("graph", graphName);
        m.put("task", task);
        m.put("strategy", strategy);
        m.put("seconds", seconds);
        m.put("metaFeatures", metaFeatures);
        m.put("searchSpace", searchSpace);
        m.put("bestArchitecture", bestArchitecture);
        m.put("bestHyperParameters", bestHyperParameters);
        m.put("validation", validation);
        m.put("test", testMetrics);
        m.put("leaderboard", leaderboard());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the result", e);
        }
    }

    /**
     * Writes a PNG of the search: validation score per trial and the best so far.
     *
     * @throws io.openautoglm.core.AutoGlmException when XChart, an optional dependency, is not on the classpath
     */
    public void writeChart(Path file) {
        double[] x = trials.stream().mapToDouble(Trial::number).toArray();
        double[] y = trials.stream().mapToDouble(Trial::valScore).toArray();
        if (x.length == 0) {
            throw new IllegalStateException("no trial to draw");
        }
        ProgressChart.of(
                        "AutoGNN on " + graphName + " (" + strategy.name().toLowerCase(java.util.Locale.ROOT) + ")",
                        "trial",
                        task == GnnTask.NODE_CLASSIFICATION ? "validation accuracy" : "validation AUC")
                .bestSoFar("trial", x, y)
                .write(file, "autoglm-gnn");
    }

    @Override
    public void close() {
        model.close();
    }
}
