package io.openautoglm.cli;

import io.openautoglm.core.PipelineSpec;
import io.openautoglm.gnn.AutoGnn;
import io.openautoglm.gnn.AutoGnnResult;
import io.openautoglm.gnn.GnnTask;
import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.GraphFormatException;
import io.openautoglm.gnn.MetricSummary;
import io.openautoglm.gnn.Trial;
import io.openautoglm.gnn.TrialBudget;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code autoglm gnn DIR}: AutoGNN on a graph folder; the leaderboard and the chosen architecture written out. */
@Command(
        name = "gnn",
        mixinStandardHelpOptions = true,
        versionProvider = AutoGlmCli.Version.class,
        header = "Searches GNN architectures for a graph folder (AutoGNN).",
        description = {
            "Searches graph neural network architectures for a graph folder (nodes.csv with id,label,split; "
                    + "features.txt with index:value pairs per node; edges.csv with src,dst), tunes the best, retrains the "
                    + "winner with several seeds, and writes to --out: result.json (meta-features, search space, leaderboard, "
                    + "test metrics), architecture.json, leaderboard.csv and search.png."
        })
final class GnnCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The graph folder.")
    Path dir;

    @Option(
            names = "--budget",
            paramLabel = "DURATION",
            defaultValue = "20m",
            converter = DurationConverter.class,
            description = "Wall time for the whole search: 90s, 20m, 2h or PT20M. Default: ${DEFAULT-VALUE}.")
    Duration budget;

    @Option(
            names = "--trials",
            paramLabel = "N",
            defaultValue = "100",
            description = "Trials at most. Default: ${DEFAULT-VALUE}.")
    int trials;

    @Option(
            names = "--task",
            paramLabel = "TASK",
            defaultValue = "node",
            converter = TaskConverter.class,
            completionCandidates = TaskConverter.Names.class,
            description = "node (node classification) or link (link prediction). Default: ${DEFAULT-VALUE}.")
    GnnTask task;

    @Option(
            names = "--final-seeds",
            paramLabel = "N",
            defaultValue = "5",
            description = "Seeds the winner is retrained with. Default: ${DEFAULT-VALUE}.")
    int finalSeeds;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the search. Default: 0.")
    long seed;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "PyTorch intra-op threads; 1 is often fastest on a busy machine with few cores.")
    Integer threads;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Where to write the results; default autognn-NAME "
                    + "in the working directory, NAME the graph folder's name.")
    Path out;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw CliException.usage("no graph folder " + dir + (Files.exists(dir) ? ": not a folder" : ""));
        }
        if (trials < 1) {
            throw CliException.usage("--trials: at least 1, got " + trials);
        }
        if (finalSeeds < 1) {
            throw CliException.usage("--final-seeds: at least 1, got " + finalSeeds);
        }
        if (threads != null) {
            if (threads < 1) {
                throw CliException.usage("--threads: at least 1, got " + threads);
            }
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads)); // read when the engine starts
        }
        Path outDir = (out != null
                        ? out
                        : Path.of("autognn-" + dir.toAbsolutePath().normalize().getFileName()))
                .toAbsolutePath()
                .normalize();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();

        Graph graph;
        try {
            graph = Graph.fromDirectory(dir);
        } catch (GraphFormatException | UncheckedIOException e) {
            throw CliException.aborted("cannot load the graph: " + AutoGlmCli.describe(e), e);
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw CliException.aborted("cannot create " + outDir + ": " + e, e);
        }
        stderr.println(
                "loaded " + graph + "; searching for " + budget.toSeconds() + " s, at most " + trials + " trials");
        stderr.flush();
        AutoGnn auto = AutoGnn.builder()
                .task(task)
                .budget(TrialBudget.builder()
                        .maxTrials(trials)
                        .maxWallTime(budget)
                        .build())
                .finalSeeds(finalSeeds)
                .seed(seed)
                .build();
        try (AutoGnnResult r = auto.fit(graph)) {
            write(outDir.resolve("result.json"), r.toJson());
            write(outDir.resolve("architecture.json"), r.bestArchitecture().toJson());
            write(outDir.resolve("leaderboard.csv"), leaderboardCsv(r.leaderboard()));
            r.writeChart(outDir.resolve("search.png"));

            List<Trial> board = r.leaderboard();
            stdout.printf(
                    Locale.ROOT,
                    "%d trials in %.1f s; leaderboard (validation %s):%n",
                    r.trials().size(),
                    r.seconds(),
                    task == GnnTask.LINK_PREDICTION ? "AUC" : "accuracy");
            for (Trial t : board.subList(0, Math.min(10, board.size()))) {
                stdout.printf(
                        Locale.ROOT,
                        "  #%-3d %-6s %.4f  %s  %s%n",
                        t.number(),
                        t.phase(),
                        t.valScore(),
                        t.architecture().describe(),
                        t.hyperParameters().describe());
            }
            stdout.println("chosen: " + r.bestArchitecture().toJson());
            stdout.println("hyper-parameters: " + r.bestHyperParameters().describe());
            stdout.println("validation: " + r.validation());
            for (MetricSummary m : r.testMetrics()) {
                stdout.println("test: " + m);
            }
            stdout.println("written to " + outDir + ": result.json, architecture.json, leaderboard.csv, search.png");
            stdout.flush();
        }
        return AutoGlmCli.OK;
    }

    private static String leaderboardCsv(List<Trial> board) {
        StringBuilder sb =
                new StringBuilder("rank,trial,phase,val_score,seeds,seconds,architecture,hyper_parameters\n");
        int rank = 1;
        for (Trial t : board) {
            sb.append(rank++)
                    .append(',')
                    .append(t.number())
                    .append(',')
                    .append(t.phase())
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.6f", t.valScore()))
                    .append(',')
                    .append(t.seeds())
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.3f", t.seconds()))
                    .append(',')
                    .append(csv(t.architecture().toJson()))
                    .append(',')
                    .append(csv(t.hyperParameters().describe()))
                    .append('\n');
        }
        return sb.toString();
    }

    private static String csv(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.aborted("cannot write " + file + ": " + e, e);
        }
    }

    /** 90s, 20m, 2h, or an ISO-8601 duration such as PT20M. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = PipelineSpec.parseDuration(value);
            if (d == null) {
                throw new TypeConversionException(
                        "expected a duration such as 90s, 20m, 2h or PT20M, got '" + value + "'");
            }
            if (d.isZero() || d.isNegative()) {
                throw new TypeConversionException("the duration must be positive, got '" + value + "'");
            }
            return d;
        }
    }

    /** node or link, or the enum's own names. */
    static final class TaskConverter implements ITypeConverter<GnnTask> {
        /** The names offered by the completion script. */
        static final class Names extends java.util.ArrayList<String> {
            Names() {
                super(List.of("node", "link"));
            }
        }

        @Override
        public GnnTask convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "node", "node_classification", "node-classification" -> GnnTask.NODE_CLASSIFICATION;
                case "link", "link_prediction", "link-prediction" -> GnnTask.LINK_PREDICTION;
                default -> throw new TypeConversionException("expected node or link, got '" + value + "'");
            };
        }
    }
}
