package io.openautoglm.gnn.internal;

import io.openautoglm.gnn.Architecture;
import io.openautoglm.gnn.Architecture.Operator;
import io.openautoglm.gnn.GnnTask;
import io.openautoglm.gnn.HyperParameters;
import io.openautoglm.gnn.MetaFeatures;
import io.openautoglm.gnn.SearchSpace;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The task-aware rules: meta-features in, search space and operator prior out. Each rule that fires
 * leaves a sentence in {@link SearchSpace#rationale()}.
 */
public final class SearchSpaceRules {
    static final double LOW_HOMOPHILY = 0.5;
    static final double HIGH_HOMOPHILY = 0.7;
    static final int LARGE_NODES = 50_000;
    static final int LARGE_EDGES = 500_000;
    static final int HUGE_EDGES = 3_000_000;
    static final double FEW_LABELS = 0.1;
    /** Feature dimensions per labelled train node above which first layers count as over-parameterised. */
    static final double MANY_FEATURES_PER_LABEL = 20;
    /** Consistency-regularisation weight of every trial when labels are few (GRAND's weight on Cora). */
    static final double FEW_LABELS_CONSISTENCY = 1.0;

    private SearchSpaceRules() {}

    public static SearchSpace derive(MetaFeatures m, GnnTask task) {
        SearchSpace d = SearchSpace.defaults();
        List<String> why = new ArrayList<>();
        Map<Operator, Double> prior = new EnumMap<>(Operator.class);
        prior.put(Operator.GCN, 1.0);
        prior.put(Operator.GAT, 1.0);
        prior.put(Operator.SAGE, 1.0);
        prior.put(Operator.LINEAR, 1.0);
        List<Operator> ops = new ArrayList<>(d.operators());
        List<Integer> layers = new ArrayList<>(d.layers());
        List<Integer> hidden = new ArrayList<>(d.hidden());
        List<Integer> heads = new ArrayList<>(d.heads());
        List<Double> dropouts = new ArrayList<>(d.dropouts());
        List<Double> weightDecays = new ArrayList<>(d.weightDecays());
        List<Integer> propagation = new ArrayList<>(d.propagation());
        HyperParameters.Checkpoint checkpoint = d.checkpoint();
        int maxEpochs = d.maxEpochs();
        int patience = d.patience();
        double propagationWeightDecay = d.propagationWeightDecay();
        double consistency = d.consistency();
        double dagnnDropout = Architecture.dagnnBaseline().dropout();

        double h = m.edgeHomophily();
        if (task == GnnTask.NODE_CLASSIFICATION && !Double.isNaN(h)) {
            if (h < LOW_HOMOPHILY) {
                prior.put(Operator.GCN, 0.4);
                prior.put(Operator.GAT, 1.3);
                prior.put(Operator.SAGE, 1.8);
                propagation.retainAll(List.of(0));
                why.add(String.format(
                        Locale.ROOT,
                        "edge homophily %.2f < %.2f: neighbours often disagree, so favour SAGE (separate self weight) and GAT (learned neighbour weights) over GCN, and leave deep propagation out",
                        h,
                        LOW_HOMOPHILY));
            } else if (h >= HIGH_HOMOPHILY) {
                prior.put(Operator.GCN, 1.4);
                prior.put(Operator.GAT, 1.4);
                prior.put(Operator.SAGE, 0.7);
                why.add(String.format(
                        Locale.ROOT,
                        "edge homophily %.2f >= %.2f: smoothing over neighbours helps, so favour GCN and GAT, and offer deep propagation (up to %d hops)",
                        h,
                        HIGH_HOMOPHILY,
                        propagation.stream().mapToInt(Integer::intValue).max().orElse(0)));
            }
        }
        if (m.nodes() > LARGE_NODES || m.edges() > LARGE_EDGES) {
            prior.put(Operator.GAT, prior.get(Operator.GAT) * 0.4);
            hidden.removeIf(x -> x > 64);
            heads.removeIf(x -> x > 4);
            maxEpochs = 200;
            patience = 50;
            why.add("large graph (" + m.nodes() + " nodes, " + m.edges()
                    + " edges): cheaper operators favoured, width <= 64, heads <= 4, 200 epochs per trial");
        }
        if (m.edges() > HUGE_EDGES) {
            ops.remove(Operator.GAT);
            prior.remove(Operator.GAT);
            why.add("over " + HUGE_EDGES + " edges: attention dropped (its cost grows with edges × heads)");
        }
        if (task == GnnTask.NODE_CLASSIFICATION && m.trainShare() < FEW_LABELS) {
            layers.remove(Integer.valueOf(1));
            dropouts.removeIf(x -> x < 0.4);
            weightDecays.removeIf(x -> x < 5e-4);
            checkpoint = HyperParameters.Checkpoint.LOWEST_LOSS;
            // the unlabelled nodes are most of the graph: consistency makes them train the model too
            consistency = FEW_LABELS_CONSISTENCY;
            why.add(String.format(
                    Locale.ROOT,
                    "few labels (%.1f%% of nodes in train): strong regularisation (dropout >= 0.4, weight decay >= 5e-4), 2-3 layers, consistency regularisation (weight %.1f) so that the unlabelled nodes train the model too, and each trial keeps its lowest-validation-loss epoch (the best-accuracy epoch on a small validation set is partly noise)",
                    100 * m.trainShare(),
                    consistency));
        }
        double featuresPerLabel = m.features() / Math.max(1.0, Math.round(m.trainShare() * m.nodes()));
        if (task == GnnTask.NODE_CLASSIFICATION
                && featuresPerLabel > MANY_FEATURES_PER_LABEL
                && propagation.stream().anyMatch(k -> k > 0)
                && weightDecays.contains(2e-2)
                && dropouts.contains(0.5)) {
            // p >> n: the first layer has far more weights per label than on Cora (10) or PubMed (8); DAGNN's
            // authors ran such data (CiteSeer, 31) at four times their usual decay with lighter dropout
            propagationWeightDecay = 2e-2;
            dagnnDropout = 0.5;
            why.add(String.format(
                    Locale.ROOT,
                    "%.0f feature dimensions per labelled node > %.0f: models with deep propagation start at weight decay 2e-2 instead of 5e-3, and the DAGNN start at dropout 0.5, as DAGNN's authors ran such data",
                    featuresPerLabel,
                    MANY_FEATURES_PER_LABEL));
        }
        if (m.degreeMean() > 50) {
            prior.put(Operator.SAGE, prior.getOrDefault(Operator.SAGE, 1.0) * 1.5);
            why.add(String.format(
                    Locale.ROOT, "dense graph (mean degree %.1f): favour mean aggregation", m.degreeMean()));
        }
        if (m.featureSparsity() > 0.9) {
            why.add(String.format(
                    Locale.ROOT,
                    "features %.1f%% zeros: kept sparse, dropout on the non-zeros only",
                    100 * m.featureSparsity()));
        }
        if (task == GnnTask.LINK_PREDICTION) {
            dropouts.removeIf(x -> x > 0.5);
            dropouts.add(0, 0.0);
            propagation.retainAll(List.of(0));
            why.add(
                    "link prediction: lighter dropout (0 to 0.5), embeddings of width max(16, hidden / 2), no deep propagation of the embeddings (not measured for links)");
        }
        List<Architecture> starts = new ArrayList<>();
        if (task == GnnTask.NODE_CLASSIFICATION) {
            starts.add(Architecture.gcnBaseline());
            if (ops.contains(Operator.GAT)) {
                starts.add(Architecture.gatBaseline());
            }
            if (propagation.contains(Architecture.dagnnBaseline().propagation())) {
                starts.add(Architecture.dagnnBaseline().withDropout(dagnnDropout));
            }
        } else {
            starts.add(Architecture.gaeBaseline());
        }
        why.add("start from the published designs for this task ("
                + starts.stream().map(Architecture::describe).collect(Collectors.joining("; ")) + "), then search");
        return new SearchSpace(
                layers,
                ops,
                prior,
                hidden,
                heads,
                d.activations(),
                d.skip(),
                dropouts,
                propagation,
                d.learningRates(),
                weightDecays,
                propagationWeightDecay,
                d.selfTraining(),
                consistency,
                maxEpochs,
                patience,
                checkpoint,
                starts,
                why);
    }
}
