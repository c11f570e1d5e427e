package io.openautoglm.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.DataException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphTest {
    @TempDir
    Path tmp;

    private static final String NODES = "id,label,split\n0,0,train\n1,1,val\n2,0,test\n3,-1,none\n";
    private static final String FEATURES = "0:1 2:0.5\n1:1\n\n0:2\n";
    private static final String EDGES = "src,dst\n0,1\n1,2\n2,3\n";

    @Test
    void readsFolderFormat() throws Exception {
        TestGraphs.writeFolder(tmp, NODES, FEATURES, EDGES + "3,2\n1,1\n");
        Graph g = Graph.fromDirectory(tmp);
        assertEquals(4, g.numNodes());
        assertEquals(3, g.numFeatures());
        assertEquals(2, g.numClasses());
        assertEquals(3, g.numEdges(), "duplicate (3,2) and self loop (1,1) are dropped");
        assertEquals(4, g.featureNonZeros());
        assertTrue(g.sparseFeatures());
        assertArrayEquals(new int[] {0}, g.nodesIn(Graph.Split.TRAIN));
        assertEquals(Graph.Split.NONE, g.split(3));
        assertEquals(-1, g.label(3));
        assertArrayEquals(new int[] {0, 1, 2}, g.edgeSources());
        assertArrayEquals(new int[] {1, 2, 3}, g.edgeTargets());
    }

    @Test
    void unknownNodeInEdgeNamesFileAndLine() throws Exception {
        TestGraphs.writeFolder(tmp, NODES, FEATURES, EDGES + "2,9\n");
        GraphFormatException e = assertThrows(GraphFormatException.class, () -> Graph.fromDirectory(tmp));
        assertTrue(e.getMessage().contains("edges.csv:5"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown node id 9"), e.getMessage());
        assertEquals(5, e.line());
    }

    @Test
    void aRowWithTooFewFieldsIsADataExceptionNamingThePathAndLine() throws Exception {
        TestGraphs.writeFolder(tmp, NODES, FEATURES, EDGES + "3\n");
        GraphFormatException e = assertThrows(GraphFormatException.class, () -> Graph.fromDirectory(tmp));
        assertInstanceOf(DataException.class, e);
        assertEquals(
                tmp.resolve("edges.csv").toString(), e.source(), "the path as given, like the folder's other errors");
        assertEquals(5, e.line());
        assertTrue(e.reason().startsWith("too few fields: the row has 1 but the header has 2"), e.reason());
    }

    @Test
    void featureIndexOutOfRange() throws Exception {
        TestGraphs.writeFolder(tmp, NODES, "0:1 7:1\n1:1\n\n0:2\n", EDGES);
        GraphFormatException e = assertThrows(GraphFormatException.class, () -> Graph.fromDirectory(tmp, 3));
        assertTrue(e.getMessage().contains("features.txt:1"), e.getMessage());
        assertTrue(e.getMessage().contains("feature index 7 out of range"), e.getMessage());
        TestGraphs.writeFolder(tmp, NODES, "0:1\n-1:1\n\n0:2\n", EDGES);
        e = assertThrows(GraphFormatException.class, () -> Graph.fromDirectory(tmp));
        assertTrue(e.getMessage().contains("features.txt:2"), e.getMessage());
        TestGraphs.writeFolder(tmp, NODES, "0:1 x\n1:1\n\n0:2\n", EDGES);
        e = assertThrows(GraphFormatException.class, () -> Graph.fromDirectory(tmp));
        assertTrue(e.getMessage().contains("'x' is not index:value"), e.getMessage());
    }

    @Test
    void missingSplitIsAnError() throws Exception {
        TestGraphs.writeFolder(tmp, "id,label,split\n0,0,train\n1,1,\n2,0,test\n3,-1,none\n", FEATURES, EDGES);
        GraphFormatException e = assertThrows(GraphFormatException.class, () -> Graph.fromDirectory(tmp));
        assertTrue(e.getMessage().contains("nodes.csv:3"), e.getMessage());
        assertTrue(e.getMessage().contains("missing split"), e.getMessage());

        TestGraphs.writeFolder(tmp, "id,label\n0,0\n1,1\n2,0\n3,0\n", FEATURES, EDGES);
        e = assertThrows(GraphFormatException.class, () -> Graph.fromDirectory(tmp));
        assertTrue(e.getMessage().contains("nodes.csv:1: unknown column 'split'"), e.getMessage());
        assertEquals(1, e.line());

        TestGraphs.writeFolder(tmp, "id,label,split\n0,0,val\n1,1,val\n2,0,test\n3,-1,none\n", FEATURES, EDGES);
        e = assertThrows(GraphFormatException.class, () -> Graph.fromDirectory(tmp));
        assertTrue(e.getMessage().contains("no node has split 'train'"), e.getMessage());
    }

    @Test
    void featureLineCountMustMatchNodes() throws Exception {
        TestGraphs.writeFolder(tmp, NODES, "0:1\n1:1\n", EDGES);
        GraphFormatException e = assertThrows(GraphFormatException.class, () -> Graph.fromDirectory(tmp));
        assertTrue(e.getMessage().contains("only 2 feature lines"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        GraphFormatException e = assertThrows(GraphFormatException.class, () -> Graph.fromDirectory(tmp));
        assertTrue(e.getMessage().contains("nodes.csv"), e.getMessage());
    }

    @Test
    void fromEdgeListMapsIdsAndRejectsUnknown() {
        List<Graph.Node> nodes = List.of(
                new Graph.Node("a", new float[] {1, 0}, 0, Graph.Split.TRAIN),
                new Graph.Node("b", new float[] {0, 1}, 1, Graph.Split.VAL),
                new Graph.Node("c", new float[] {1, 1}, -1, Graph.Split.NONE));
        Graph g = Graph.fromEdgeList("crm", nodes, List.of(new Graph.Edge("a", "b"), new Graph.Edge("c", "b")));
        assertEquals(2, g.numEdges());
        assertArrayEquals(new int[] {0, 1}, g.edgeSources());
        assertArrayEquals(new int[] {1, 2}, g.edgeTargets());
        assertEquals(2, g.numFeatures());
        GraphFormatException e = assertThrows(
                GraphFormatException.class,
                () -> Graph.fromEdgeList("crm", nodes, List.of(new Graph.Edge("a", "b"), new Graph.Edge("a", "zz"))));
        assertTrue(e.getMessage().contains("crm edges:2"), e.getMessage());
        assertTrue(e.getMessage().contains("'zz'"), e.getMessage());
    }

    @Test
    void builderValidatesWithFieldAndValue() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Graph.builder(3).edge(0, 5));
        assertTrue(e.getMessage().contains("(0, 5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Graph.builder(2).labels(new int[] {0}));
        assertTrue(e.getMessage().contains("labels has 1"), e.getMessage());
    }

    @Test
    void classNamesNameTheLabelsAndSurviveWithEdges() {
        Graph g = Graph.builder(2)
                .labels(new int[] {0, -1})
                .classNames(List.of("cat", "dog"))
                .edge(0, 1)
                .build();
        assertEquals(2, g.numClasses(), "every named class counts, seen or not");
        assertEquals(List.of("cat", "dog"), g.withEdges(new int[0], new int[0]).classNames());
        assertEquals(
                List.of("0", "1"),
                Graph.builder(2).labels(new int[] {1, 0}).build().classNames());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Graph.builder(2)
                        .labels(new int[] {0, 2})
                        .classNames(List.of("cat", "dog"))
                        .build());
        assertTrue(e.getMessage().contains("labels[1] = 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Graph.builder(2).classNames(List.of("a", "a")));
    }

    @Test
    void loadsCoraWhenPresent() {
        Path cora = TestGraphs.requireSharedDataset("cora");
        Graph g = Graph.fromDirectory(cora);
        assertEquals(2708, g.numNodes());
        assertEquals(1433, g.numFeatures());
        assertEquals(5278, g.numEdges());
        assertEquals(7, g.numClasses());
        assertEquals(49216, g.featureNonZeros());
        assertEquals(140, g.nodesIn(Graph.Split.TRAIN).length);
        assertEquals(500, g.nodesIn(Graph.Split.VAL).length);
        assertEquals(1000, g.nodesIn(Graph.Split.TEST).length);
    }

    @Test
    void featuresMustBeFiniteAndAtLeastOneWide() {
        float[][] x = {{1, 0}, {0, Float.NaN}};
        IllegalArgumentException nan = assertThrows(
                IllegalArgumentException.class, () -> Graph.builder(2).denseFeatures(x));
        assertTrue(nan.getMessage().contains("row 1, column 1"), nan.getMessage());
        IllegalArgumentException inf = assertThrows(
                IllegalArgumentException.class,
                () -> Graph.builder(1).sparseFeatures(3, new int[][] {{2}}, new float[][] {{Float.POSITIVE_INFINITY}}));
        assertTrue(inf.getMessage().contains("row 0, feature 2"), inf.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Graph.builder(2).denseFeatures(new float[2][0]));
    }
}
