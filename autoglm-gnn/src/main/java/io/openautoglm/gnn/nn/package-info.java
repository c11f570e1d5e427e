/**
 * Message-passing layers on DJL NDArrays with autograd: {@link io.openautoglm.gnn.nn.GCNConv}, {@link
 * io.openautoglm.gnn.nn.GATConv} and {@link io.openautoglm.gnn.nn.SAGEConv}, plus the constant sparse
 * tensors they share ({@link io.openautoglm.gnn.nn.GraphStructure}) and the node input abstraction
 * ({@link io.openautoglm.gnn.nn.NodeInput}) that lets the first layer read sparse features without
 * densifying them.
 *
 * <p>All aggregation is a constant sparse matrix times dense messages, or a gather of edge endpoints, so
 * memory grows with edges, not with nodes squared.
 *
 * <pre>{@code
 * try (NDManager m = NDManager.newBaseManager("PyTorch");
 *     GraphStructure s = GraphStructure.of(m, graph)) {
 *   NodeInput x = NodeInput.features(m, graph);
 *   GCNConv conv = new GCNConv(m, graph.numFeatures(), 16, false, new Random(42));
 *   NDArray h = conv.forward(s, x, 0.5f, true);
 * }
 * }</pre>
 */
package io.openautoglm.gnn.nn;
