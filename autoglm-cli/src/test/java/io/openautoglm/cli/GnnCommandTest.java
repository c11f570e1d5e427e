package io.openautoglm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GnnCommandTest {
    @TempDir
    Path dir;

    /** Three planted communities of ten nodes: a feature for the class, one for the node's slot, edges within. */
    private Path tinyGraph() throws Exception {
        StringBuilder nodes = new StringBuilder("id,label,split\n");
        StringBuilder features = new StringBuilder();
        StringBuilder edges = new StringBuilder("src,dst\n");
        String[] splits = {"train", "train", "train", "train", "val", "val", "val", "test", "test", "test"};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 10; i++) {
                int id = c * 10 + i;
                nodes.append(id)
                        .append(',')
                        .append(c)
                        .append(',')
                        .append(splits[i])
                        .append('\n');
                features.append(c).append(":1 ").append(3 + i % 4).append(":1\n");
                edges.append(id).append(',').append(c * 10 + (i + 1) % 10).append('\n');
                edges.append(id).append(',').append(c * 10 + (i + 3) % 10).append('\n');
            }
        }
        Path g = dir.resolve("tiny");
        Cli.write(g.resolve("nodes.csv"), nodes.toString());
        Cli.write(g.resolve("features.txt"), features.toString());
        Cli.write(g.resolve("edges.csv"), edges.toString());
        return g;
    }

    @Test
    void aShortSearchWritesTheLeaderboardAndTheChosenArchitecture() throws Exception {
        Path graph = tinyGraph();
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run(
                "gnn",
                graph.toString(),
                "--budget",
                "20s",
                "--trials",
                "2",
                "--final-seeds",
                "1",
                "--threads",
                "1",
                "--seed",
                "3",
                "--out",
                out.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("leaderboard (validation accuracy)"), r.all());
        assertTrue(r.out().contains("chosen: {"), r.all());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("test: accuracy ")), r.all());
        for (String f : new String[] {"result.json", "architecture.json", "leaderboard.csv", "search.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(
                new ObjectMapper().readTree(out.resolve("result.json").toFile()).has("leaderboard"));
        assertEquals(3, Files.readAllLines(out.resolve("leaderboard.csv")).size(), "header and two trials");
    }

    @Test
    void badArgumentsAreUsageErrorsAndABadGraphCannotStart() throws Exception {
        assertEquals(2, Cli.run("gnn", dir.resolve("nowhere").toString()).code());
        Path graph = tinyGraph();
        Cli.Result task = Cli.run("gnn", graph.toString(), "--task", "edge");
        assertEquals(2, task.code(), task.all());
        assertTrue(task.err().contains("expected node or link"), task.all());
        Cli.Result budget = Cli.run("gnn", graph.toString(), "--budget", "soon");
        assertEquals(2, budget.code(), budget.all());
        assertTrue(budget.err().contains("90s, 20m"), budget.all());
        Files.writeString(graph.resolve("edges.csv"), "src,dst\n0,99\n");
        Cli.Result bad =
                Cli.run("gnn", graph.toString(), "--out", dir.resolve("o").toString());
        assertEquals(3, bad.code(), bad.all());
        assertTrue(
                bad.err().startsWith("autoglm: cannot load the graph: ")
                        && bad.err().contains("edges.csv:2"),
                bad.all());
    }
}
