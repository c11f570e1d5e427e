package io.openautoglm.examples.gnn;

import io.openautoglm.gnn.AutoGnn;
import io.openautoglm.gnn.AutoGnnResult;
import io.openautoglm.gnn.GnnTask;
import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.Trial;
import io.openautoglm.gnn.TrialBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * AutoGNN in a few lines: load a graph folder, search for a few minutes, print the leaderboard, the
 * chosen architecture and its test accuracy, and write the search chart.
 *
 * <pre>
 * mvn -B -q -pl examples -am -DskipTests install
 * mvn -B -q -pl examples exec:java -Dexec.mainClass=io.openautoglm.examples.gnn.AutoGnnExample \
 *     -Dexec.args="../shared/datasets/graph/cora 3"
 * </pre>
 */
public final class AutoGnnExample {
    private AutoGnnExample() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/datasets/graph/cora");
        int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Graph graph = Graph.fromDirectory(dir);
        System.out.println("loaded " + graph);

        AutoGnn auto = AutoGnn.builder()
                .task(GnnTask.NODE_CLASSIFICATION)
                .budget(TrialBudget.builder()
                        .maxTrials(100)
                        .maxWallTime(Duration.ofMinutes(minutes))
                        .build())
                .finalSeeds(3)
                .seed(7)
                .build();
        try (AutoGnnResult result = auto.fit(graph)) {
            System.out.println("meta-features: " + result.metaFeatures());
            result.searchSpace().rationale().forEach(r -> System.out.println("rule: " + r));
            System.out.println("top of the leaderboard:");
            for (Trial t :
                    result.leaderboard().subList(0, Math.min(5, result.trials().size()))) {
                System.out.printf(
                        "  #%d %-6s %.4f  %s  %s%n",
                        t.number(),
                        t.phase(),
                        t.valScore(),
                        t.architecture().describe(),
                        t.hyperParameters().describe());
            }
            System.out.println("chosen: " + result.bestArchitecture().toJson());
            System.out.println("test: " + result.testMetrics());
            int[] classes = result.model().predict();
            System.out.println("class of node 0: " + classes[0]);
            Path chart = Files.createTempFile("autognn-search", ".png");
            result.writeChart(chart);
            System.out.println("search chart: " + chart);
        }
    }
}
