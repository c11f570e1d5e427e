/**
 * AutoGNN: graph meta-features drive a search over GCN/GAT/SAGE architectures and hyper-parameters on
 * DJL's PyTorch engine, for node classification and link prediction.
 *
 * <p>Entry points: {@link io.openautoglm.gnn.Graph} (load a folder, or build from arrays), {@link
 * io.openautoglm.gnn.GraphLoader} (load your own node table and edge list through autoglm-data: CSV,
 * JSONL, JDBC), {@link io.openautoglm.gnn.AutoGnn} (search), {@link io.openautoglm.gnn.GnnTrainer}
 * (train one fixed architecture), {@link io.openautoglm.gnn.GnnModel} (predict).
 *
 * <pre>{@code
 * Graph cora = Graph.fromDirectory(Path.of("../shared/datasets/graph/cora"));
 * try (AutoGnnResult r = AutoGnn.builder().budget(60, Duration.ofMinutes(10)).build().fit(cora)) {
 *   System.out.println(r.bestArchitecture().toJson() + " " + r.testMetrics());
 * }
 * }</pre>
 *
 * <p>Run with {@code -Dai.djl.offline=true}: the PyTorch natives come from the {@code
 * pytorch-native-cpu} jar on the classpath.
 */
package io.openautoglm.gnn;
