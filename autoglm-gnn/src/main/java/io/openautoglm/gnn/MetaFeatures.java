package io.openautoglm.gnn;

/**
 * What the task-aware engine measures about a graph before it searches. Computed by {@link
 * AutoGnnResult#metaFeatures()} or directly with {@link #of(Graph)}.
 *
 * <pre>{@code
 * MetaFeatures m = MetaFeatures.of(graph);
 * boolean heterophilous = m.edgeHomophily() < 0.5;   // most labelled edges join different classes
 * }</pre>
 *
 * @param nodes number of nodes
 * @param edges number of undirected edges
 * @param features feature dimension
 * @param classes number of classes
 * @param density {@code 2E / (N (N - 1))}
 * @param degreeMin smallest degree
 * @param degreeMax largest degree
 * @param degreeMean mean degree
 * @param degreeMedian median degree
 * @param degreeStd standard deviation of the degree
 * @param isolatedShare share of nodes with no edge
 * @param clusteringCoefficient average local clustering coefficient (nodes of degree below 2 count 0;
 *     estimated on a seeded sample of nodes for large graphs)
 * @param edgeHomophily share of labelled edges whose endpoints have the same label, NaN when no edge
 *     joins two labelled nodes
 * @param homophilyEdges number of edges the homophily was computed on
 * @param homophilyLabels which labels it used: "train", or "train+val" when the train split alone had
 *     fewer than 20 such edges
 * @param featureSparsity share of zero entries in the feature matrix
 * @param classBalance smallest over largest class count among train labels (1 = balanced)
 * @param trainShare share of nodes in the train split
 * @param unlabelledShare share of nodes in no split ({@link Graph.Split#NONE}): what self-training can
 *     pseudo-label
 */
public record MetaFeatures(
        int nodes,
        int edges,
        int features,
        int classes,
        double density,
        int degreeMin,
        int degreeMax,
        double degreeMean,
        double degreeMedian,
        double degreeStd,
        double isolatedShare,
        double clusteringCoefficient,
        double edgeHomophily,
        int homophilyEdges,
        String homophilyLabels,
        double featureSparsity,
        double classBalance,
        double trainShare,
        double unlabelledShare) {

    /** Measures a graph (exact clustering up to 20,000 nodes, sampled beyond). */
    public static MetaFeatures of(Graph graph) {
        return io.openautoglm.gnn.internal.MetaFeatureExtractor.compute(graph);
    }
}
