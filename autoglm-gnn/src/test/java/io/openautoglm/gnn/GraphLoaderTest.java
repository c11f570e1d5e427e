package io.openautoglm.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.DataException;
import io.openautoglm.core.ErrorMode;
import io.openautoglm.data.DataLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphLoaderTest {
    @TempDir
    Path tmp;

    private static final String PAPERS = "paper_id,topic,split,f0,f1\n"
            + "p1,vision,train,1,0\n"
            + "p2,ml,val,0,1.5\n"
            + "p3,nlp,test,1,1\n"
            + "p4,,none,0,0\n";
    private static final String CITES = "citing,cited\np1,p2\np3,p2\np2,p1\np4,p4\n";

    private Path write(String name, String content) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private GraphLoader.Builder papers(String nodes, String edges) throws Exception {
        return GraphLoader.builder()
                .nodes(DataLoader.fromCsv(write("papers.csv", nodes)), "paper_id")
                .label("topic")
                .split("split")
                .features("f0", "f1")
                .edges(DataLoader.fromCsv(write("cites.csv", edges)), "citing", "cited");
    }

    private GraphFormatException fails(GraphLoader.Builder b) {
        return assertThrows(GraphFormatException.class, () -> b.build().load());
    }

    @Test
    void csvNodeTableAndEdgeList() throws Exception {
        Graph g = papers(PAPERS, CITES).build().load();
        assertEquals("papers.csv", g.name());
        assertEquals(4, g.numNodes());
        assertEquals(2, g.numFeatures());
        assertFalse(g.sparseFeatures());
        assertEquals(List.of("ml", "nlp", "vision"), g.classNames(), "class names numbered in sorted order");
        assertEquals(3, g.numClasses());
        assertArrayEquals(new int[] {2, 0, 1, -1}, g.labels());
        assertArrayEquals(new int[] {0}, g.nodesIn(Graph.Split.TRAIN));
        assertArrayEquals(new int[] {1}, g.nodesIn(Graph.Split.VAL));
        assertArrayEquals(new int[] {2}, g.nodesIn(Graph.Split.TEST));
        assertEquals(Graph.Split.NONE, g.split(3));
        assertEquals("1:" + Float.floatToIntBits(1.5f) + " ", LegacyFolderReader.features(g, 1));
        // p1-p2 twice and the self loop p4-p4 collapse to two undirected edges
        assertArrayEquals(new int[] {0, 1}, g.edgeSources());
        assertArrayEquals(new int[] {1, 2}, g.edgeTargets());
    }

    @Test
    void aModelTrainedOnALoadedGraphPredictsItsClassNames() throws Exception {
        Graph g = papers(PAPERS, CITES).build().load();
        HyperParameters hp = HyperParameters.builder().maxEpochs(5).build();
        try (GnnModel m = GnnTrainer.builder()
                .architecture(Architecture.gcnBaseline())
                .hyperParameters(hp)
                .build()
                .fit(g, 1)) {
            List<String> names = m.predictClassNames();
            assertEquals(4, names.size());
            int[] classes = m.predict();
            for (int i = 0; i < classes.length; i++) {
                assertEquals(g.classNames().get(classes[i]), names.get(i));
            }
        }
    }

    @Test
    void explicitClassesFixTheNumbering() throws Exception {
        Graph g = papers(PAPERS, CITES)
                .classes("vision", "nlp", "ml")
                .name("papers")
                .build()
                .load();
        assertEquals("papers", g.name());
        assertEquals(List.of("vision", "nlp", "ml"), g.classNames());
        assertArrayEquals(new int[] {0, 2, 1, -1}, g.labels());

        GraphFormatException e = fails(papers(PAPERS, CITES).classes("vision", "ml"));
        assertTrue(
                e.getMessage()
                        .contains("papers.csv:4: label 'nlp' of node 'p3' is not one of the classes [vision, ml]"),
                e.getMessage());
    }

    @Test
    void jsonlWithNumericIdsVectorsAndIntegerLabels() throws Exception {
        Path nodes = write(
                "nodes.jsonl",
                "{\"id\": 10, \"y\": 1, \"x\": [0.5, 1, 0]}\n"
                        + "{\"id\": 11, \"y\": 0, \"x\": [0, 0, 2]}\n"
                        + "{\"id\": 12, \"x\": [1, 1, 1]}\n");
        Path edges = write("edges.jsonl", "{\"a\": 10, \"b\": 12}\n{\"a\": 11, \"b\": 12}\n");
        Graph g = GraphLoader.builder()
                .nodes(DataLoader.fromJsonl(nodes), "id")
                .label("y")
                .featureVector("x")
                .edges(DataLoader.fromJsonl(edges), "a", "b")
                .build()
                .load();
        assertEquals(3, g.numFeatures());
        assertArrayEquals(
                new int[] {1, 0, -1}, g.labels(), "integer labels are class indices; a missing one is unknown");
        assertEquals(List.of("0", "1"), g.classNames());
        assertEquals(3, g.nodesIn(Graph.Split.NONE).length, "without a split column every node is in NONE");
        assertArrayEquals(new int[] {0, 1}, g.edgeSources());
        assertArrayEquals(new int[] {2, 2}, g.edgeTargets());
        assertEquals(
                "0:" + Float.floatToIntBits(0.5f) + " 1:" + Float.floatToIntBits(1f) + " ",
                LegacyFolderReader.features(g, 0));
    }

    @Test
    void sparseFeatureColumnAndDeclaredWidth() throws Exception {
        String nodes = "id,label,split,words\na,0,train,0:1 3:2\nb,1,test,\nc,1,val,2:1\n";
        GraphLoader.Builder b = GraphLoader.builder()
                .nodes(DataLoader.fromCsv(write("n.csv", nodes)), "id")
                .label("label")
                .split("split")
                .sparseFeatures("words")
                .edges(DataLoader.fromCsv(write("e.csv", "s,t\na,b\n")), "s", "t");
        Graph g = b.build().load();
        assertTrue(g.sparseFeatures());
        assertEquals(4, g.numFeatures());
        assertEquals(3, g.featureNonZeros());
        assertEquals(6, b.numFeatures(6).build().load().numFeatures());

        GraphFormatException e = fails(b.numFeatures(3));
        assertTrue(
                e.getMessage()
                        .contains("n.csv:2: sparse features of node 'a' in column 'words': feature index 3 out of"
                                + " range [0, 3)"),
                e.getMessage());
        assertEquals(2, e.line());
    }

    @Test
    void jdbcTablesThroughH2() throws Exception {
        String url = "jdbc:h2:mem:graph_loader;DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE account (id INT PRIMARY KEY, segment VARCHAR(10), part VARCHAR(5), age REAL, spend REAL)");
            s.execute("INSERT INTO account VALUES (1, 'gold', 'train', 30, 1.5), (2, 'basic', 'train', 41, 0.25),"
                    + " (3, NULL, 'none', 22, 0), (4, 'gold', 'test', 35, 2)");
            s.execute("CREATE TABLE follows (src INT, dst INT)");
            s.execute("INSERT INTO follows VALUES (1, 2), (2, 3), (4, 1)");
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(url);
            ds.setUser("sa");
            GraphLoader.Builder b = GraphLoader.builder()
                    .nodes(
                            DataLoader.fromJdbc(ds, "SELECT id, segment, part, age, spend FROM account ORDER BY id"),
                            "id")
                    .label("segment")
                    .split("part")
                    .features("age", "spend")
                    .edges(DataLoader.fromJdbc(ds, "SELECT * FROM follows ORDER BY src, dst"), "src", "dst");
            Graph g = b.build().load();
            assertEquals(4, g.numNodes());
            assertEquals(List.of("basic", "gold"), g.classNames());
            assertArrayEquals(new int[] {1, 0, -1, 1}, g.labels(), "SQL NULL is an unknown label");
            assertArrayEquals(new int[] {0, 1}, g.nodesIn(Graph.Split.TRAIN));
            assertEquals(3, g.numEdges());
            assertEquals(
                    "0:" + Float.floatToIntBits(41f) + " 1:" + Float.floatToIntBits(0.25f) + " ",
                    LegacyFolderReader.features(g, 1));

            s.execute("INSERT INTO follows VALUES (3, 9)");
            GraphFormatException e = fails(b);
            assertEquals("jdbc:SELECT * FROM follows ORDER BY src, dst", e.source(), "the query names the source");
            assertEquals(3, e.line(), "rows in ORDER BY src, dst: (1,2) (2,3) (3,9) (4,1)");
            assertTrue(e.getMessage().contains("unknown node id '9' in column 'dst'"), e.getMessage());

            e = fails(b.nodes(DataLoader.fromJdbc(ds, "SELECT id, segment, age, spend FROM account"), "id"));
            assertTrue(e.getMessage().contains("unknown column 'part'"), e.getMessage());
            assertInstanceOf(DataException.class, e.getCause());
            s.execute("DROP ALL OBJECTS");
        }
    }

    @Test
    void unknownNodeIdInAnEdge() throws Exception {
        GraphFormatException e = fails(papers(PAPERS, "citing,cited\np1,p2\n\np3,zz\n"));
        assertEquals("cites.csv", e.source());
        assertEquals(4, e.line());
        assertTrue(
                e.getMessage()
                        .startsWith("cites.csv:4: unknown node id 'zz' in column 'cited': not in the node table"
                                + " papers.csv"),
                e.getMessage());
    }

    @Test
    void missingAndInvalidSplit() throws Exception {
        GraphFormatException e = fails(papers(PAPERS.replace("p2,ml,val,", "p2,ml,,"), CITES));
        assertTrue(
                e.getMessage().startsWith("papers.csv:3: missing split for node 'p2' in column 'split'"),
                e.getMessage());
        e = fails(papers(PAPERS.replace("p3,nlp,test,", "p3,nlp,holdout,"), CITES));
        assertTrue(e.getMessage().startsWith("papers.csv:4: unknown split 'holdout' for node 'p3'"), e.getMessage());
        e = fails(papers(PAPERS.replace("p1,vision,train,", "p1,,train,"), CITES));
        assertTrue(
                e.getMessage().startsWith("papers.csv:2: node 'p1' is in split train but has no label"),
                e.getMessage());
    }

    @Test
    void duplicateNodeId() throws Exception {
        GraphFormatException e = fails(papers(PAPERS.replace("p3,", "p1,"), CITES));
        assertTrue(
                e.getMessage().startsWith("papers.csv:4: duplicate node id 'p1' (first at papers.csv:2)"),
                e.getMessage());
    }

    @Test
    void nonNumericAndMissingFeatures() throws Exception {
        GraphFormatException e = fails(papers(PAPERS.replace("p2,ml,val,0,1.5", "p2,ml,val,0,lots"), CITES));
        assertTrue(
                e.getMessage().startsWith("papers.csv:3: feature column 'f1' of node 'p2': 'lots' is not a number"),
                e.getMessage());
        e = fails(papers(PAPERS.replace("p2,ml,val,0,1.5", "p2,ml,val,,1.5"), CITES));
        assertTrue(
                e.getMessage().startsWith("papers.csv:3: missing value in feature column 'f0' for node 'p2'"),
                e.getMessage());
        e = fails(papers(PAPERS.replace("p2,ml,val,0,1.5", "p2,ml,val,0,NaN"), CITES));
        assertTrue(e.getMessage().contains("'NaN' is not finite"), e.getMessage());
    }

    @Test
    void featureVectorOfTheWrongLength() throws Exception {
        String nodes = "id,vec\na,\"1, 2, 3\"\nb,4 5 6\nc,[7;8]\n";
        GraphLoader.Builder b = GraphLoader.builder()
                .nodes(DataLoader.fromCsv(write("v.csv", nodes)), "id")
                .featureVector("vec")
                .edges(DataLoader.fromCsv(write("e.csv", "s,t\na,b\n")), "s", "t");
        GraphFormatException e = fails(b);
        assertTrue(
                e.getMessage()
                        .startsWith("v.csv:4: feature vector of node 'c' in column 'vec' has 2 values, expected 3"
                                + " (as at v.csv:2)"),
                e.getMessage());
    }

    @Test
    void missingColumnNamesFileAndHeaderLine() throws Exception {
        GraphFormatException e = fails(papers(PAPERS.replace("f1", "f2"), CITES));
        assertTrue(e.source().endsWith("papers.csv"), e.source());
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("unknown column 'f1'"), e.getMessage());
        e = fails(papers(PAPERS, CITES.replace("cited", "target")));
        assertTrue(e.getMessage().contains("cites.csv:1: unknown column 'cited'"), e.getMessage());
    }

    @Test
    void rowsAutoglmDataRejectsKeepTheirLineEvenWhenCollecting() throws Exception {
        GraphFormatException e = fails(papers(PAPERS.replace("p3,nlp,test,1,1", "p3,nlp,test,1"), CITES));
        assertTrue(e.getMessage().startsWith("papers.csv:4: too few fields"), e.getMessage());
        assertInstanceOf(DataException.class, e.getCause());

        GraphLoader.Builder collecting = papers(PAPERS.replace("p3,nlp,test,1,1", "p3,nlp,test,1"), CITES)
                .nodes(DataLoader.fromCsv(tmp.resolve("papers.csv")).onBadRecord(ErrorMode.COLLECT), "paper_id");
        e = fails(collecting);
        assertTrue(e.getMessage().startsWith("papers.csv:4: too few fields"), e.getMessage());
    }

    @Test
    void aBadRowIsAGraphFormatExceptionAndSoADataExceptionAtItsLineInEitherMode() throws Exception {
        Path nodes = write("n.jsonl", "{\"id\": \"a\"}\n{\"id\": \n{\"id\": \"b\"}\n");
        Path edges = write("e.jsonl", "{\"s\": \"a\", \"t\": \"b\"}\n");
        for (ErrorMode mode : ErrorMode.values()) {
            GraphLoader loader = GraphLoader.builder()
                    .nodes(DataLoader.fromJsonl(nodes).onBadRecord(mode), "id")
                    .edges(DataLoader.fromJsonl(edges), "s", "t")
                    .build();
            DataException e = assertThrows(DataException.class, loader::load, mode.name());
            assertInstanceOf(GraphFormatException.class, e, mode.name());
            assertEquals("n.jsonl", e.source(), mode.name());
            assertEquals(2, e.line(), mode.name());
            assertTrue(e.reason().startsWith("the line is not valid JSON"), e.reason());
            assertEquals("n.jsonl:2: " + e.reason(), e.getMessage());
        }
    }

    @Test
    void builderChecksItsConfiguration() throws Exception {
        DataLoader csv = DataLoader.fromCsv(write("x.csv", "id\n1\n"));
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> GraphLoader.builder().edges(csv, "a", "b").build());
        assertTrue(e.getMessage().contains("nodes(DataLoader, idColumn)"), e.getMessage());
        e = assertThrows(
                IllegalStateException.class,
                () -> GraphLoader.builder()
                        .nodes(csv, "id")
                        .edges(csv, "a", "b")
                        .features("f")
                        .sparseFeatures("s")
                        .build());
        assertTrue(e.getMessage().contains("set one of"), e.getMessage());
        e = assertThrows(
                IllegalStateException.class,
                () -> GraphLoader.builder()
                        .nodes(csv, "id")
                        .edges(csv, "a", "b")
                        .classes("x")
                        .build());
        assertTrue(e.getMessage().contains("no label column"), e.getMessage());
        IllegalArgumentException a = assertThrows(
                IllegalArgumentException.class, () -> GraphLoader.builder().nodes(csv, " "));
        assertTrue(a.getMessage().contains("idColumn must not be blank"), a.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GraphLoader.builder().classes("a", "a"));
    }

    @Test
    void coraTablesGiveTheSameLabelsSplitsAndEdgesAsTheFolder() {
        Path cora = TestGraphs.requireSharedDataset("cora");
        Graph tables = GraphLoader.builder()
                .nodes(DataLoader.fromCsv(cora.resolve("nodes.csv")), "id")
                .label("label")
                .split("split")
                .edges(DataLoader.fromCsv(cora.resolve("edges.csv")), "src", "dst")
                .build()
                .load();
        Graph folder = Graph.fromDirectory(cora);
        assertEquals(2708, tables.numNodes());
        assertEquals(5278, tables.numEdges());
        assertEquals(7, tables.numClasses());
        assertArrayEquals(folder.labels(), tables.labels());
        assertArrayEquals(folder.nodesIn(Graph.Split.TRAIN), tables.nodesIn(Graph.Split.TRAIN));
        assertArrayEquals(folder.nodesIn(Graph.Split.VAL), tables.nodesIn(Graph.Split.VAL));
        assertArrayEquals(folder.nodesIn(Graph.Split.TEST), tables.nodesIn(Graph.Split.TEST));
        assertArrayEquals(folder.edgeSources(), tables.edgeSources());
        assertArrayEquals(folder.edgeTargets(), tables.edgeTargets());
    }
}
