package io.openautoglm.benchmarks.prompt;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Models;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.spi.Model;
import io.openautoglm.data.Columns;
import io.openautoglm.data.DataLoader;
import io.openautoglm.prompt.Candidate;
import io.openautoglm.prompt.DemonstrationSelection;
import io.openautoglm.prompt.LabelWordingSearch;
import io.openautoglm.prompt.Objective;
import io.openautoglm.prompt.OptimizationResult;
import io.openautoglm.prompt.OptionSearch;
import io.openautoglm.prompt.PromptSpec;
import io.openautoglm.prompt.ThresholdSearch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Measures the prompt optimisers on the shared datasets with the local engine ({@code local:bge-small-zh}).
 * Candidates are formed from train and selected on dev; test is scored only for the starting spec (the
 * baseline) and the final spec.
 *
 * <ol>
 *   <li>{@code zero-shot}: ChnSentiCorp, label wording search from the plain labels 正面/负面.</li>
 *   <li>{@code few-shot}: ChnSentiCorp, 8 demonstrations per class: demonstration selection against random
 *       selection of the same size, 5 seeds.</li>
 *   <li>{@code afqmc}: matching, from the unoptimised spec (the engine's default cosine threshold): an option
 *       search over the method (cosine threshold or trained pair head, with the training pairs as
 *       demonstrations) and the head's learning rate, each combination refined by a threshold search, all selected on dev.
 *       AFQMC has no labelled test split here, so its {@code dev.csv} is the test set and 4,000 pairs drawn
 *       from {@code train.csv} with a fixed seed ({@code -Dprompt.bench.afqmcDev}) are the dev set (the rest of
 *       train is train).</li>
 * </ol>
 *
 * <p>Run from the repository root (about 3 minutes on 2 shared cores; docs/benchmarks.md has the numbers):
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests exec:java \
 *     -Dexec.mainClass=io.openautoglm.benchmarks.prompt.PromptOptimizerBenchmark -Dexec.args="all"
 * </pre>
 * Arguments: the parts to run ({@code zero-shot}, {@code few-shot}, {@code afqmc} or {@code all}); the data
 * folder comes from {@code -Dprompt.bench.data} (default {@code ../shared/datasets/nlp}), the output folder for
 * the best specs (runnable pipeline specs), results, reports and charts from {@code -Dprompt.bench.out} (default
 * {@code target/prompt-bench}).
 */
public final class PromptOptimizerBenchmark {
    private static final int SEEDS = 5;
    private static final int PER_CLASS = 8;

    private PromptOptimizerBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<String> parts = args.length == 0 || List.of(args).contains("all")
                ? List.of("zero-shot", "few-shot", "afqmc")
                : List.of(args);
        Path data = Path.of(System.getProperty("prompt.bench.data", "../shared/datasets/nlp"))
                .toAbsolutePath()
                .normalize();
        Path out = Path.of(System.getProperty("prompt.bench.out", "target/prompt-bench"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(data.resolve("chnsenticorp_htl"))) {
            throw new IllegalStateException(
                    "datasets not found in " + data + "; pass -Dprompt.bench.data=/path/to/nlp");
        }
        Files.createDirectories(out);
        System.out.printf(
                "machine: %s %s, %d cores visible, Java %s, load average %.2f%n",
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        System.out.println("data: " + data + "\noutput: " + out);
        try (Model model = Models.open("local:bge-small-zh", Map.of("cacheSize", "60000"))) {
            for (String part : parts) {
                long t0 = System.nanoTime();
                switch (part) {
                    case "zero-shot" -> zeroShot(model, data, out);
                    case "few-shot" -> fewShot(model, data, out);
                    case "afqmc" -> afqmc(model, data, out);
                    default ->
                        throw new IllegalArgumentException(
                                "unknown part '" + part + "'; use zero-shot, few-shot, afqmc or all");
                }
                System.out.printf("[%s took %.1f s]%n%n", part, (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    static void zeroShot(Model model, Path data, Path out) {
        Dataset train = csv(data.resolve("chnsenticorp_htl/train.csv"));
        Dataset dev = csv(data.resolve("chnsenticorp_htl/dev.csv"));
        Dataset test = csv(data.resolve("chnsenticorp_htl/test.csv"));
        PromptSpec plain = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
                .label("正面")
                .label("负面")
                .build();
        // Wordings a user would write down in a minute; mined terms from train are added by the search.
        LabelWordingSearch search = LabelWordingSearch.builder()
                .model(model)
                .seed(7)
                .wordings("正面", List.of("好评", "满意", "推荐", "这家酒店很好，我很满意", "房间干净，服务热情，下次还会入住"))
                .wordings("负面", List.of("差评", "失望", "不推荐", "这家酒店很差，我很失望", "房间很脏，服务很差，不会再来了"))
                .build();
        OptimizationResult r = search.optimize(plain, train, dev, SearchBudget.ofCandidates(80));
        save(r, out, "chnsenticorp-zero-shot");
        double startTest = accuracy(model, r.start().spec(), test);
        double bestTest = accuracy(model, r.bestSpec(), test);
        System.out.println("== ChnSentiCorp zero-shot: label wording search ==");
        System.out.println(r.summary());
        System.out.println(r.finalPrompt());
        System.out.printf("dev accuracy  plain %.4f -> optimised %.4f%n", r.startScore(), r.bestScore());
        System.out.printf(
                "test accuracy plain %.4f -> optimised %.4f (target >= 0.80: %s)%n",
                startTest, bestTest, bestTest >= 0.80 ? "met" : "MISSED");
    }

    static void fewShot(Model model, Path data, Path out) {
        Dataset train = csv(data.resolve("chnsenticorp_htl/train.csv"));
        Dataset dev = csv(data.resolve("chnsenticorp_htl/dev.csv"));
        Dataset test = csv(data.resolve("chnsenticorp_htl/test.csv"));
        PromptSpec plain = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
                .label("正面")
                .label("负面")
                .build();
        System.out.println(
                "== ChnSentiCorp few-shot, " + PER_CLASS + " per class: demonstration selection vs random ==");
        System.out.println("seed  random-dev  random-test  selected-dev  selected-test  candidates");
        double sumRandom = 0;
        double sumSelected = 0;
        for (int seed = 1; seed <= SEEDS; seed++) {
            // The random set of this seed is the start, so the selection is never worse than it on dev.
            PromptSpec random =
                    plain.withDemonstrations(DemonstrationSelection.randomDemonstrations(train, PER_CLASS, seed));
            OptimizationResult r = DemonstrationSelection.builder()
                    .model(model)
                    .perClass(PER_CLASS)
                    .trials(24)
                    .poolPerClass(100)
                    .seed(seed)
                    .build()
                    .optimize(random, train, dev, SearchBudget.unlimited());
            save(r, out, "chnsenticorp-few-shot-seed" + seed);
            double randomTest = accuracy(model, random, test);
            double selectedTest = accuracy(model, r.bestSpec(), test);
            sumRandom += randomTest;
            sumSelected += selectedTest;
            System.out.printf(
                    "%4d  %10.4f  %11.4f  %12.4f  %13.4f  %10d%n",
                    seed,
                    r.startScore(),
                    randomTest,
                    r.bestScore(),
                    selectedTest,
                    r.trajectory().size());
        }
        double gain = (sumSelected - sumRandom) / SEEDS;
        System.out.printf(
                "mean test accuracy: random %.4f, selected %.4f, gain %+.2f points (target >= +2: %s)%n",
                sumRandom / SEEDS, sumSelected / SEEDS, 100 * gain, gain >= 0.02 ? "met" : "MISSED");
    }

    static void afqmc(Model model, Path data, Path out) {
        List<TextRecord> all = pairs(data.resolve("afqmc/train.csv")).toList();
        List<TextRecord> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(2024));
        int devSize = Integer.getInteger("prompt.bench.afqmcDev", 4000);
        Dataset dev = Dataset.of("afqmc-dev-from-train", shuffled.subList(0, devSize));
        Dataset train = Dataset.of("afqmc-train-rest", shuffled.subList(devSize, shuffled.size()));
        Dataset test =
                Dataset.of("afqmc-dev.csv", pairs(data.resolve("afqmc/dev.csv")).toList());
        PromptSpec unoptimised = PromptSpec.builder(TaskType.SEMANTIC_MATCHING).build();
        // The matching method (cosine threshold, or the trained pair head with every training pair as a
        // demonstration) and the head's Adam step (the default 0.01 leaves weights fitted on thousands of
        // pairs noisy) are searched jointly, and each combination is compared at its own
        // threshold chosen on dev: a threshold calibrated on the head's own training pairs is overconfident,
        // and one method's threshold means nothing on another's scale. 0.05-0.95 covers both scales.
        OptionSearch optimiser = OptionSearch.builder()
                .model(model)
                .option("method", List.of("threshold", "head"))
                .option("l2", List.of("0.3"))
                .option("learningRate", List.of("0.01", "0.001"))
                .demonstrations(shuffled.size() - devSize)
                .seed(7)
                .refineEach(ThresholdSearch.builder()
                        .model(model)
                        .steps(19)
                        .refinements(1)
                        .build())
                .build();
        OptimizationResult r = optimiser.optimize(unoptimised, train, dev, SearchBudget.ofCandidates(120));
        save(r, out, "afqmc-options-threshold");
        r.writeChart(out.resolve("afqmc-options-threshold.png"));
        double startTest = f1(model, unoptimised, test);
        double bestTest = f1(model, r.bestSpec(), test);
        System.out.println(
                "== AFQMC matching: option search (method, head learning rate), each refined by a threshold search ==");
        System.out.println(r.summary());
        for (Candidate c : r.trajectory()) {
            System.out.printf("  #%d %s: %s -> %.4f%n", c.index(), c.optimizer(), c.note(), c.score());
        }
        System.out.println("chosen options: " + r.bestSpec().options() + ", "
                + r.bestSpec().demonstrations().size() + " demonstrations");
        System.out.printf("dev positive-F1  unoptimised %.4f -> optimised %.4f%n", r.startScore(), r.bestScore());
        System.out.printf(
                "test positive-F1 unoptimised %.4f -> optimised %.4f (target: improves: %s)%n",
                startTest, bestTest, bestTest > startTest ? "met" : "MISSED");
    }

    /** The best as a runnable pipeline spec, the whole result, a report and a chart. */
    private static void save(OptimizationResult r, Path out, String name) {
        r.save(out.resolve(name + ".spec.json"));
        r.saveResult(out.resolve(name + ".result.json"));
        r.writeReport(out.resolve(name + ".report.json"));
        r.writeChart(out.resolve(name + ".png"));
    }

    private static double accuracy(Model model, PromptSpec spec, Dataset test) {
        try (TaskPipeline p =
                spec.applyTo(TaskPipeline.builder().model(model)).batchSize(32).build()) {
            PipelineResult r = p.run(test);
            return Objective.ACCURACY.of(r.metrics().orElseThrow());
        }
    }

    private static double f1(Model model, PromptSpec spec, Dataset test) {
        try (TaskPipeline p =
                spec.applyTo(TaskPipeline.builder().model(model)).batchSize(32).build()) {
            return Objective.POSITIVE_F1.of(p.run(test).metrics().orElseThrow());
        }
    }

    private static Dataset csv(Path file) {
        return Dataset.of(
                file.getParent().getFileName() + "/" + file.getFileName(),
                DataLoader.fromCsv(file).load("text", "label").toList());
    }

    private static Dataset pairs(Path file) {
        return DataLoader.fromCsv(file)
                .load(Columns.builder()
                        .text("text_a")
                        .textB("text_b")
                        .label("label")
                        .build());
    }
}
