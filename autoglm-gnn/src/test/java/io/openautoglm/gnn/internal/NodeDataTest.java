package io.openautoglm.gnn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDManager;
import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.TestGraphs;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NodeDataTest {

  @Test
  void resplitKeepsClassCountsAndTheLabelledPoolAndLeavesTestOut() {
    Graph g = TestGraphs.blocks(3, 20, 0.3, 0.02, 4);  // 5 train, 5 val, 10 test per class
    try (NDManager m = NDManager.newBaseManager("PyTorch"); NodeData base = new NodeData(m, g)) {
      NodeData a = base.resplit(1);
      NodeData b = base.resplit(2);
      int[] pool = IntStream.concat(Arrays.stream(base.train), Arrays.stream(base.val)).sorted().toArray();
      for (NodeData d : new NodeData[] {a, b}) {
        assertArrayEquals(pool, IntStream.concat(Arrays.stream(d.train), Arrays.stream(d.val)).sorted().toArray(),
            "the same labelled nodes, split differently");
        assertArrayEquals(base.test, d.test);
        for (int c = 0; c < 3; c++) {
          int cls = c;
          assertEquals(5, Arrays.stream(d.train).filter(n -> g.label(n) == cls).count(), "train nodes of class " + c);
        }
        assertEquals(15, d.valIdx.getShape().get(0));
        assertEquals(15, d.trainOneHot.getShape().get(0));
      }
      assertFalse(Arrays.equals(a.train, base.train), "a new train set");
      assertFalse(Arrays.equals(a.train, b.train), "each seed its own");
      assertArrayEquals(a.train, base.resplit(1).train, "seeded");
    }
  }

  @Test
  void withoutValidationNodesThereIsNothingToResplit() {
    Graph g = TestGraphs.blocks(2, 10, 0.3, 0.02, 1);
    Graph.Split[] splits = new Graph.Split[g.numNodes()];
    for (int i = 0; i < splits.length; i++) {
      splits[i] = g.split(i) == Graph.Split.VAL ? Graph.Split.TEST : g.split(i);
    }
    Graph noVal = rebuild(g, splits);
    try (NDManager m = NDManager.newBaseManager("PyTorch"); NodeData base = new NodeData(m, noVal)) {
      assertSame(base, base.resplit(3));
    }
  }

  private static Graph rebuild(Graph g, Graph.Split[] splits) {
    float[][] x = new float[g.numNodes()][g.numFeatures()];
    for (int i = 0; i < x.length; i++) {
      int node = i;
      g.forEachFeature(i, (j, v) -> x[node][j] = v);
    }
    return Graph.builder(g.numNodes()).denseFeatures(x).labels(g.labels()).splits(splits)
        .edges(g.edgeSources(), g.edgeTargets()).build();
  }
}
