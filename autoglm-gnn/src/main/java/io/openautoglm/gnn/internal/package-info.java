/**
 * Implementation of AutoGNN: graph tensors, training loops (node classification, graph auto-encoder),
 * Adam, the meta-feature extractor, the task-aware rules, the REINFORCE and random controllers, and the
 * search chart. Not API: may change in any release.
 */
package io.openautoglm.gnn.internal;
