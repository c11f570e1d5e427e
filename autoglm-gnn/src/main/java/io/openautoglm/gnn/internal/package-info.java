/**
 * Implementation of AutoGNN: graph tensors, training loops (node classification, graph auto-encoder),
 * Adam, the meta-feature extractor, the task-aware rules, the REINFORCE and random controllers, the
 * search chart, and the readers behind {@code Graph.fromDirectory} and {@code GraphLoader}. Not API:
 * may change in any release.
 */
package io.openautoglm.gnn.internal;
