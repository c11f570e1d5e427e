package io.openautoglm.gnn.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.openautoglm.gnn.Architecture;
import io.openautoglm.gnn.Architecture.Activation;
import io.openautoglm.gnn.Architecture.Operator;
import io.openautoglm.gnn.AutoGnn;
import io.openautoglm.gnn.AutoGnnResult;
import io.openautoglm.gnn.GnnModel;
import io.openautoglm.gnn.GnnTask;
import io.openautoglm.gnn.GnnTrainer;
import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.HyperParameters;
import io.openautoglm.gnn.LinkDecoder;
import io.openautoglm.gnn.MetaFeatures;
import io.openautoglm.gnn.MetricSummary;
import io.openautoglm.gnn.SearchSpace;
import io.openautoglm.gnn.SearchStrategy;
import io.openautoglm.gnn.Trial;
import io.openautoglm.gnn.TrialBudget;
import io.openautoglm.gnn.internal.NodeData;
import io.openautoglm.gnn.internal.NodeTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * AutoGNN benchmarks. They live in the module's test sources, out of the published jar, beside the internals
 * they measure. Build the class path once, then run one mode per command:
 *
 * <pre>
 * mvn -B -q -pl autoglm-gnn -am -DskipTests install
 * mvn -B -q -pl autoglm-gnn dependency:build-classpath -Dmdep.outputFile=/tmp/gnn-cp.txt -Dmdep.includeScope=test
 * CP=autoglm-gnn/target/test-classes:autoglm-gnn/target/classes:$(cat /tmp/gnn-cp.txt)
 * J="java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp $CP io.openautoglm.gnn.bench.GnnBenchmark"
 * $J baselines ../shared/datasets/graph/cora 10        # GCN and GAT, 10 seeds, test accuracy mean ± std
 * $J baselines ../shared/datasets/graph/cora 10 1000   # GAT only, up to 1000 epochs (patience 100)
 * $J decoupled ../shared/datasets/graph/cora 10 5e-3 0.8 10       # DAGNN: seeds, weight decay, dropout, hops
 * $J decoupled ../shared/datasets/graph/citeseer 10 2e-2 0.5 10   # [BEST_SCORE|LOWEST_LOSS checkpoint]
 * $J decoupled ../shared/datasets/graph/citeseer 4 2e-2 0.5 10 LOWEST_LOSS 1000 1   # consistency weight 1
 * $J baselines ../shared/datasets/graph/citeseer 3 300 BEST_SCORE 1                # GCN, GAT with consistency 1
 * $J link ../shared/datasets/graph/cora 10             # GAE (GCN 32-16, dot decoder), AUC and AP
 * $J speed ../shared/datasets/graph/cora               # per-epoch time, GCN and GAT, 1 and 2 threads
 * $J large                                             # generated PubMed-sized graph, GCN/GAT/SAGE
 * $J autognn ../shared/datasets/graph/cora REINFORCE 20 400 10 /tmp/cora-rl   # minutes, trials, seeds, out
 * $J autognn ../shared/datasets/graph/cora REINFORCE 10 400 10 /tmp/cora-lp LINK_PREDICTION
 * $J autognn ../shared/datasets/graph/citeseer RANDOM 10 400 1 /tmp/cs-r2 NODE_CLASSIFICATION 2 0  # seed 2, search only
 * $J autognn ../shared/datasets/graph/cora RANDOM 20 400 10 /tmp/co-r1 NODE_CLASSIFICATION 1 0.4 NO_STARTS
 * </pre>
 */
public final class GnnBenchmark {
    private GnnBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(
                    "modes: baselines DIR SEEDS [GAT_EPOCHS] [GAT_CHECKPOINT] [CONSISTENCY] | decoupled DIR SEEDS WD DROPOUT HOPS [CHECKPOINT] [MAX_EPOCHS] [CONSISTENCY] | link DIR SEEDS | speed DIR | large | autognn DIR STRATEGY MINUTES TRIALS SEEDS OUT [TASK] [SEED] [TUNING_SHARE] [NO_STARTS]");
            System.exit(2);
        }
        System.out.println("engine " + Engine.getEngine("PyTorch").getVersion() + ", intra-op threads "
                + JniUtils.getNumThreads() + ", cores " + Runtime.getRuntime().availableProcessors());
        switch (args[0]) {
            case "baselines":
                baselines(
                        Graph.fromDirectory(Path.of(args[1])),
                        Integer.parseInt(args[2]),
                        args.length > 3 ? Integer.parseInt(args[3]) : 300,
                        args.length > 4
                                ? HyperParameters.Checkpoint.valueOf(args[4])
                                : HyperParameters.Checkpoint.BEST_SCORE,
                        args.length > 5 ? Double.parseDouble(args[5]) : 0);
                break;
            case "decoupled":
                decoupled(
                        Graph.fromDirectory(Path.of(args[1])),
                        Integer.parseInt(args[2]),
                        Double.parseDouble(args[3]),
                        Double.parseDouble(args[4]),
                        Integer.parseInt(args[5]),
                        args.length > 6
                                ? HyperParameters.Checkpoint.valueOf(args[6])
                                : HyperParameters.Checkpoint.LOWEST_LOSS,
                        args.length > 7 ? Integer.parseInt(args[7]) : 1000,
                        args.length > 8 ? Double.parseDouble(args[8]) : 0);
                break;
            case "link":
                link(Graph.fromDirectory(Path.of(args[1])), Integer.parseInt(args[2]));
                break;
            case "speed":
                speed(Graph.fromDirectory(Path.of(args[1])));
                break;
            case "large":
                large();
                break;
            case "autognn":
                autognn(
                        Graph.fromDirectory(Path.of(args[1])),
                        SearchStrategy.valueOf(args[2]),
                        Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]),
                        Path.of(args[6]),
                        args.length > 7 ? GnnTask.valueOf(args[7]) : GnnTask.NODE_CLASSIFICATION,
                        args.length > 8 ? Long.parseLong(args[8]) : 1,
                        args.length > 9 ? Double.parseDouble(args[9]) : 0.4,
                        args.length > 10 && noStarts(args[10]));
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static boolean noStarts(String arg) {
        if (!arg.equals("NO_STARTS")) {
            throw new IllegalArgumentException(
                    "argument 11 of autognn is '" + arg + "'; the only value it takes is NO_STARTS");
        }
        return true;
    }

    static HyperParameters gcnHp() {
        return HyperParameters.builder()
                .learningRate(0.01)
                .weightDecay(5e-4)
                .maxEpochs(200)
                .patience(100)
                .build();
    }

    static HyperParameters gatHp(int maxEpochs, HyperParameters.Checkpoint checkpoint) {
        return HyperParameters.builder()
                .learningRate(0.005)
                .weightDecay(5e-4)
                .maxEpochs(maxEpochs)
                .patience(100)
                .checkpoint(checkpoint)
                .build();
    }

    /** GCN, then GAT with at most {@code gatEpochs} epochs (the GAT paper stops on patience alone). */
    private static void baselines(
            Graph g, int seeds, int gatEpochs, HyperParameters.Checkpoint gatCheckpoint, double consistency) {
        if (gatEpochs == 300 && gatCheckpoint == HyperParameters.Checkpoint.BEST_SCORE) {
            run(
                    g,
                    "GCN",
                    Architecture.gcnBaseline(),
                    gcnHp().toBuilder().consistency(consistency).build(),
                    seeds);
        }
        run(
                g,
                "GAT",
                Architecture.gatBaseline(),
                gatHp(gatEpochs, gatCheckpoint).toBuilder()
                        .consistency(consistency)
                        .build(),
                seeds);
    }

    /**
     * Two dense layers then adaptive propagation (DAGNN), at a given weight decay, dropout and depth, with
     * DAGNN's schedule (lr 0.01, at most 1000 epochs, patience 100).
     */
    private static void decoupled(
            Graph g,
            int seeds,
            double weightDecay,
            double dropout,
            int hops,
            HyperParameters.Checkpoint checkpoint,
            int maxEpochs,
            double consistency) {
        Architecture a = Architecture.dagnnBaseline().withDropout(dropout);
        a = new Architecture(a.operators(), a.hidden(), a.heads(), a.activation(), a.skip(), a.dropout(), hops);
        HyperParameters hp = HyperParameters.builder()
                .learningRate(0.01)
                .weightDecay(weightDecay)
                .maxEpochs(maxEpochs)
                .patience(100)
                .checkpoint(checkpoint)
                .consistency(consistency)
                .build();
        run(g, "DAGNN", a, hp, seeds);
    }

    private static void run(Graph g, String name, Architecture a, HyperParameters hp, int seeds) {
        List<Double> acc = new ArrayList<>();
        List<Double> epoch = new ArrayList<>();
        GnnTrainer t = GnnTrainer.builder().architecture(a).hyperParameters(hp).build();
        for (int s = 0; s < seeds; s++) {
            try (GnnModel m = t.fit(g, s)) {
                acc.add(m.report().test().get("accuracy"));
                epoch.add(m.report().trainSecondsPerEpoch());
                System.out.printf(
                        Locale.ROOT,
                        "%s %s seed %d: test %.4f val %.4f val loss %.4f epochs %d best %d train %.4f s/epoch%n",
                        g.name(),
                        name,
                        s,
                        m.report().test().get("accuracy"),
                        m.report().valScore(),
                        m.report().valLoss(),
                        m.report().epochs(),
                        m.report().bestEpoch(),
                        m.report().trainSecondsPerEpoch());
            }
        }
        System.out.printf(
                Locale.ROOT,
                "RESULT %s %s (%s; %s): %s over %d seeds; train time %.4f s/epoch (median)%n",
                g.name(),
                name,
                a.describe(),
                hp.describe(),
                MetricSummary.of("accuracy", acc),
                seeds,
                median(epoch));
    }

    private static void link(Graph g, int seeds) {
        Architecture gae = Architecture.gaeBaseline();
        HyperParameters hp = HyperParameters.builder()
                .learningRate(0.01)
                .weightDecay(0)
                .maxEpochs(400)
                .patience(100)
                .build();
        for (LinkDecoder d : LinkDecoder.values()) {
            List<Double> auc = new ArrayList<>();
            List<Double> ap = new ArrayList<>();
            for (int s = 0; s < seeds; s++) {
                // a new edge split per seed, as the GAE paper averages over splits
                GnnTrainer t = GnnTrainer.builder()
                        .task(GnnTask.LINK_PREDICTION)
                        .architecture(gae)
                        .hyperParameters(hp)
                        .linkDecoder(d)
                        .splitSeed(s)
                        .build();
                try (GnnModel m = t.fit(g, s)) {
                    auc.add(m.report().test().get("auc"));
                    ap.add(m.report().test().get("ap"));
                    System.out.printf(
                            Locale.ROOT,
                            "%s GAE %s seed %d: test AUC %.4f AP %.4f (val AUC %.4f, %d epochs)%n",
                            g.name(),
                            d,
                            s,
                            m.report().test().get("auc"),
                            m.report().test().get("ap"),
                            m.report().valScore(),
                            m.report().epochs());
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "RESULT %s GAE %s decoder (%s; %s): %s, %s over %d seeds/splits%n",
                    g.name(),
                    d,
                    gae.describe(),
                    hp.describe(),
                    MetricSummary.of("auc", auc),
                    MetricSummary.of("ap", ap),
                    seeds);
        }
    }

    private static void speed(Graph g) {
        HyperParameters hp =
                HyperParameters.builder().maxEpochs(200).patience(1000).build();
        for (int threads : new int[] {1, 2}) {
            JniUtils.setNumThreads(threads);
            for (Architecture a : List.of(Architecture.gcnBaseline(), Architecture.gatBaseline())) {
                List<Double> t = new ArrayList<>();
                for (int rep = 0; rep < 3; rep++) {
                    try (NDManager m = NDManager.newBaseManager("PyTorch");
                            NodeData d = new NodeData(m, g)) {
                        t.add(NodeTrainer.train(d, a, hp, rep, false, () -> false)
                                .outcome()
                                .trainSecondsPerEpoch());
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "RESULT %s %s threads %d: train %.4f s/epoch (median of 3 runs of 200 epochs: %s)%n",
                        g.name(),
                        a.describe(),
                        threads,
                        median(t),
                        fmt(t));
            }
        }
    }

    /** A generated graph of PubMed's size: 19,717 nodes, ~44,300 undirected edges, 500 dense features. */
    private static void large() {
        int n = 19_717;
        int classes = 3;
        int dim = 500;
        Random rnd = new Random(42);
        int[] labels = new int[n];
        Graph.Split[] split = new Graph.Split[n];
        float[][] x = new float[n][dim];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(classes);
            split[i] = i < 60
                    ? Graph.Split.TRAIN
                    : i < 560 ? Graph.Split.VAL : i < 1560 ? Graph.Split.TEST : Graph.Split.NONE;
            for (int j = 0; j < dim; j++) {
                x[i][j] = (float) (rnd.nextGaussian() * 0.1 + (j % classes == labels[i] ? 0.05 : 0));
            }
        }
        Graph.Builder b = Graph.builder(n)
                .name("pubmed-sized")
                .denseFeatures(x)
                .labels(labels)
                .splits(split);
        int edges = 44_324; // PubMed has 88,648 directed edges
        for (int e = 0; e < edges; e++) {
            int u = rnd.nextInt(n);
            int v = rnd.nextDouble() < 0.8 ? sameClass(rnd, labels, labels[u]) : rnd.nextInt(n);
            b.edge(u, v);
        }
        Graph g = b.build();
        System.out.println(g + ", dense features " + !g.sparseFeatures());
        HyperParameters hp =
                HyperParameters.builder().maxEpochs(30).patience(1000).build();
        for (Architecture a : List.of(
                Architecture.gcnBaseline(),
                Architecture.of(List.of(Operator.GAT, Operator.GAT), 64, 8, Activation.ELU, false, 0.6),
                Architecture.of(List.of(Operator.SAGE, Operator.SAGE), 64, 1, Activation.RELU, false, 0.5))) {
            long t0 = System.nanoTime();
            try (GnnModel m = GnnTrainer.builder()
                    .architecture(a)
                    .hyperParameters(hp)
                    .build()
                    .fit(g, 1)) {
                Runtime rt = Runtime.getRuntime();
                System.out.printf(
                        Locale.ROOT,
                        "RESULT %s %s: %d epochs, train %.3f s/epoch, %.1f s in all, test accuracy %.3f, JVM heap used %d MiB%n",
                        g.name(),
                        a.describe(),
                        m.report().epochs(),
                        m.report().trainSecondsPerEpoch(),
                        (System.nanoTime() - t0) / 1e9,
                        m.report().test().get("accuracy"),
                        (rt.totalMemory() - rt.freeMemory()) >> 20);
            }
        }
    }

    private static int sameClass(Random rnd, int[] labels, int c) {
        while (true) {
            int v = rnd.nextInt(labels.length);
            if (labels[v] == c) {
                return v;
            }
        }
    }

    private static void autognn(
            Graph g,
            SearchStrategy strategy,
            int minutes,
            int trials,
            int seeds,
            Path out,
            GnnTask task,
            long seed,
            double tuningShare,
            boolean noStarts)
            throws Exception {
        Files.createDirectories(out);
        AutoGnn.Builder builder = AutoGnn.builder();
        if (noStarts) {
            // the search alone: the derived space without its published starting designs
            builder.searchSpace(
                    SearchSpace.derivedFrom(MetaFeatures.of(g), task).withStarts(List.of()));
        }
        AutoGnn auto = builder.task(task)
                .budget(TrialBudget.builder()
                        .maxTrials(trials)
                        .maxWallTime(Duration.ofMinutes(minutes))
                        .tuningShare(tuningShare)
                        .build())
                .strategy(strategy)
                .finalSeeds(seeds)
                .seed(seed)
                .chart(out.resolve("search.png"))
                .build();
        try (AutoGnnResult r = auto.fit(g)) {
            Files.writeString(out.resolve("result.json"), r.toJson());
            Files.writeString(
                    out.resolve("best-architecture.json"), r.bestArchitecture().toJson());
            long search = r.trials().stream()
                    .filter(t -> t.phase() == Trial.Phase.SEARCH)
                    .count();
            System.out.printf(
                    Locale.ROOT,
                    "RESULT %s AutoGNN %s (%d min budget, %d trials: %d search + %d tune, %.0f s in all): best %s %s; "
                            + "val %s; test %s over %d seeds; best search-trial val %.4f%n",
                    g.name(),
                    strategy,
                    minutes,
                    r.trials().size(),
                    search,
                    r.trials().size() - search,
                    r.seconds(),
                    r.bestArchitecture().describe(),
                    r.bestHyperParameters().describe(),
                    r.validation(),
                    r.testMetrics(),
                    seeds,
                    r.trials().stream()
                            .filter(t -> t.phase() == Trial.Phase.SEARCH)
                            .mapToDouble(Trial::valScore)
                            .max()
                            .orElse(Double.NaN));
            // what the strategy itself proposed, the starting designs left out
            List<Double> proposed = r.trials().stream()
                    .filter(t -> t.phase() == Trial.Phase.SEARCH)
                    .skip(r.searchSpace().starts().size())
                    .map(Trial::valScore)
                    .sorted()
                    .toList();
            if (!proposed.isEmpty()) {
                int n = proposed.size();
                System.out.printf(
                        Locale.ROOT,
                        "SEARCH %s %s: %d proposals, val mean %.4f, median %.4f, mean of the best 5 %.4f, best %.4f%n",
                        g.name(),
                        strategy,
                        n,
                        proposed.stream()
                                .mapToDouble(Double::doubleValue)
                                .average()
                                .orElseThrow(),
                        median(proposed),
                        proposed.subList(Math.max(0, n - 5), n).stream()
                                .mapToDouble(Double::doubleValue)
                                .average()
                                .orElseThrow(),
                        proposed.get(n - 1));
            }
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String fmt(List<Double> v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", d));
        }
        return sb.toString();
    }
}
