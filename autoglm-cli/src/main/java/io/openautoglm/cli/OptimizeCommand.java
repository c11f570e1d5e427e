package io.openautoglm.cli;

import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Models;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.spi.Model;
import io.openautoglm.glm.ChatRequest;
import io.openautoglm.glm.ChatResponse;
import io.openautoglm.glm.GlmClient;
import io.openautoglm.prompt.CompositeOptimizer;
import io.openautoglm.prompt.DemonstrationSelection;
import io.openautoglm.prompt.InstructionProposal;
import io.openautoglm.prompt.LabelWordingSearch;
import io.openautoglm.prompt.OptimizationResult;
import io.openautoglm.prompt.OptionSearch;
import io.openautoglm.prompt.PromptOptimizer;
import io.openautoglm.prompt.PromptSpec;
import io.openautoglm.prompt.TextGenerator;
import io.openautoglm.prompt.ThresholdSearch;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autoglm optimize SPEC --dev FILE --out BEST.json}: runs the optimisers the spec's {@code optimize} section
 * names, in order, and writes the start spec with the best task as a runnable spec, with the report and the chart
 * beside it.
 */
@Command(
        name = "optimize",
        mixinStandardHelpOptions = true,
        versionProvider = AutoGlmCli.Version.class,
        header = "Optimises the task of a spec on a dev set; writes the best as a spec.",
        description = {
            "Optimises the task of a pipeline spec on a labelled dev set with the optimisers its optimize "
                    + "section names, in order (instruction, label-wording, demonstrations, options, threshold), and writes "
                    + "the spec with the best task to --out: a spec 'autoglm run' runs as it is. Beside it go the report "
                    + "(NAME.report.json) and the trajectory chart (NAME.trajectory.png).",
            "The dev and train files have the columns and format of the spec's source."
        })
final class OptimizeCommand implements Callable<Integer> {
    /** Optimisers that form candidates from training records, and so need a train set. */
    private static final List<String> NEED_TRAIN =
            List.of(LabelWordingSearch.NAME, DemonstrationSelection.NAME, OptionSearch.NAME);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The pipeline spec (JSON) with an optimize section.")
    Path specFile;

    @Option(
            names = "--set",
            paramLabel = "PATH=VALUE",
            description = "Overrides a field of the spec by its JSON path, e.g. optimize.optimizers=label-wording. "
                    + "Repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--dev",
            paramLabel = "FILE",
            description = "Labelled records that score the candidates; default the spec's optimize.dev.")
    Path dev;

    @Option(
            names = "--train",
            paramLabel = "FILE",
            description = "Labelled records the candidates draw on (demonstrations, mined wordings); default the "
                    + "spec's optimize.train.")
    Path train;

    @Option(names = "--budget", paramLabel = "N", description = "At most N candidates in all, the start included.")
    Integer budget;

    @Option(
            names = "--option",
            paramLabel = "NAME=V1,V2,…",
            description = "For the options optimiser: a task option and the values to try. Repeatable. Default for "
                    + "local models: l2 (classification) or method with a threshold per method (matching).")
    Map<String, String> optionValues = new LinkedHashMap<>();

    @Option(
            names = "--out",
            paramLabel = "BEST.json",
            required = true,
            description = "Where to write the spec with the best task.")
    Path out;

    @Override
    public Integer call() {
        PipelineSpec s = Specs.read(specFile, overrides);
        Specs.requireProvider(s, specFile, overrides);
        PipelineSpec.Optimize o = s.optimize();
        if (o == null) {
            throw CliException.usage(specFile + ": the spec has no optimize section; add \"optimize\": "
                    + "{\"optimizers\": [\"label-wording\"]}, or --set optimize.optimizers=label-wording");
        }
        List<String> names = o.optimizers();
        PipelineSpec.Source devSource = dev != null ? Specs.fileSource(s, dev, "--dev") : o.dev();
        PipelineSpec.Source trainSource = train != null ? Specs.fileSource(s, train, "--train") : o.train();
        if (devSource == null) {
            throw CliException.usage("no dev set: give --dev FILE or optimize.dev in the spec");
        }
        boolean defaultOptions = names.contains(OptionSearch.NAME) && optionValues.isEmpty();
        if (trainSource == null
                && names.stream()
                        .anyMatch(n -> NEED_TRAIN.contains(n) && (!n.equals(OptionSearch.NAME) || defaultOptions))) {
            throw CliException.usage(String.join(", ", names) + ": needs a train set to draw candidates from: give "
                    + "--train FILE or optimize.train in the spec (never the dev set)");
        }
        if (trainSource != null
                && devSource.path() != null
                && trainSource.path() != null
                && s.resolve(devSource.path()).equals(s.resolve(trainSource.path()))) {
            throw CliException.usage(
                    "the dev set is the train set (" + devSource.describe() + "); select on " + "held-out records");
        }
        checkFits(s, names);
        SearchBudget searchBudget = o.budget() != null ? o.budget() : SearchBudget.unlimited();
        if (budget != null) {
            if (budget < 1) {
                throw CliException.usage("--budget: at least 1 candidate, got " + budget);
            }
            searchBudget = searchBudget.toBuilder().maxCandidates(budget).build();
        }
        long seed = o.seed() != null ? o.seed() : 42L;
        PromptSpec start;
        try {
            start = PromptSpec.of(s.task());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("task: " + AutoGlmCli.describe(e));
        }
        Dataset devData = s.open(devSource);
        Dataset trainData = trainSource != null ? s.open(trainSource) : Dataset.of("no train set", List.of());

        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Map<String, String> modelOptions;
        try {
            modelOptions = s.resolvedModelOptions();
        } catch (AutoGlmException e) {
            throw CliException.aborted(AutoGlmCli.describe(e), e);
        }
        String modelName = s.model().name();
        boolean glm = modelName.startsWith("glm-") || modelName.startsWith("glm:");
        OptimizationResult result;
        try (Model model = open(modelName, modelOptions);
                GlmClient client =
                        glm && (names.contains(InstructionProposal.NAME) || names.contains(LabelWordingSearch.NAME))
                                ? glmClient(modelOptions)
                                : null) {
            TextGenerator generator = client == null ? null : generator(client, modelName);
            List<PromptOptimizer> stages = new ArrayList<>();
            for (String name : names) {
                stages.add(optimizer(name, s, model, generator, seed, trainSource != null));
            }
            PromptOptimizer optimizer = stages.size() == 1 ? stages.get(0) : CompositeOptimizer.of(stages);
            stderr.println("optimizing " + String.join(", ", names) + " with " + modelName + " on dev "
                    + devSource.describe() + (trainSource != null ? ", train " + trainSource.describe() : "")
                    + ", budget " + searchBudget);
            stderr.flush();
            try {
                result = optimizer.optimize(s, trainData, devData, searchBudget);
            } catch (IllegalArgumentException e) {
                throw CliException.usage(AutoGlmCli.describe(e));
            }
        }

        Path bestFile = out.toAbsolutePath().normalize();
        Path report = sibling(bestFile, ".report.json");
        Path chart = sibling(bestFile, ".trajectory.png");
        result.save(bestFile); // the start spec with the best task: runs as it is
        result.writeReport(report);
        result.writeChart(chart);

        String objective = result.objective().name().toLowerCase(Locale.ROOT).replace('_', '-');
        stdout.printf(Locale.ROOT, "start %s %.4f%n", objective, result.startScore());
        stdout.printf(
                Locale.ROOT,
                "best  %s %.4f (%+.4f), candidate #%d of %d: %s%n",
                objective,
                result.bestScore(),
                result.improvement(),
                result.best().index(),
                result.trajectory().size(),
                result.best().note());
        stdout.println(result.summary());
        stdout.println("best spec: " + bestFile);
        stdout.println("report: " + report);
        stdout.println("chart: " + chart);
        stdout.flush();
        return AutoGlmCli.OK;
    }

    /** Refuses optimisers that cannot work on this task or model, before anything is opened. */
    private void checkFits(PipelineSpec s, List<String> names) {
        TaskType type = s.task().type();
        String model = s.model().name();
        boolean glm = model.startsWith("glm-") || model.startsWith("glm:");
        for (String name : names) {
            switch (name) {
                case LabelWordingSearch.NAME -> {
                    if (type != TaskType.TEXT_CLASSIFICATION) {
                        throw CliException.usage("label-wording: only for TEXT_CLASSIFICATION, the task is " + type);
                    }
                }
                case ThresholdSearch.NAME -> {
                    if (type != TaskType.SEMANTIC_MATCHING) {
                        throw CliException.usage("threshold: only for SEMANTIC_MATCHING, the task is " + type);
                    }
                }
                case InstructionProposal.NAME -> {
                    if (!glm) {
                        throw CliException.usage("instruction: proposing instructions needs a generative model "
                                + "(glm-*), and an embedding model such as " + model + " ignores them; use "
                                + "label-wording or demonstrations, or set model.name to a glm model");
                    }
                }
                case OptionSearch.NAME -> {
                    if (optionValues.isEmpty()
                            && (!model.startsWith("local:") || type == TaskType.NAMED_ENTITY_RECOGNITION)) {
                        throw CliException.usage("options: give the task options to search with --option NAME=V1,V2 "
                                + "(defaults exist for local models on classification and matching only)");
                    }
                }
                default -> {
                    // demonstrations: any task, any model
                }
            }
        }
    }

    private PromptOptimizer optimizer(
            String name, PipelineSpec s, Model model, TextGenerator generator, long seed, boolean hasTrain) {
        PipelineSpec.RunSettings run = s.run();
        try {
            return switch (name) {
                case InstructionProposal.NAME ->
                    scoring(
                                    InstructionProposal.builder()
                                            .model(model)
                                            .generator(generator)
                                            .seed(seed),
                                    run)
                            .build();
                case LabelWordingSearch.NAME ->
                    scoring(
                                    LabelWordingSearch.builder()
                                            .model(model)
                                            .generator(generator)
                                            .seed(seed),
                                    run)
                            .build();
                case DemonstrationSelection.NAME ->
                    scoring(DemonstrationSelection.builder().model(model).seed(seed), run)
                            .build();
                case ThresholdSearch.NAME ->
                    scoring(ThresholdSearch.builder().model(model), run).build();
                case OptionSearch.NAME -> options(s, model, seed, hasTrain);
                default -> throw CliException.usage("unknown optimiser '" + name + "'");
            };
        } catch (IllegalArgumentException e) {
            throw CliException.usage(name + ": " + AutoGlmCli.describe(e));
        }
    }

    private OptionSearch options(PipelineSpec s, Model model, long seed, boolean hasTrain) {
        OptionSearch.Builder b = scoring(OptionSearch.builder().model(model).seed(seed), s.run());
        TaskType type = s.task().type();
        if (!optionValues.isEmpty()) {
            optionValues.forEach((k, v) -> b.option(
                    k,
                    Arrays.stream(v.split(","))
                            .map(String::strip)
                            .filter(x -> !x.isEmpty())
                            .toList()));
        } else if (type == TaskType.TEXT_CLASSIFICATION) {
            b.option("l2", List.of("0.01", "0.1", "1"));
        } else {
            b.option("method", List.of("threshold", "head"))
                    .refineEach(scoring(ThresholdSearch.builder().model(model), s.run())
                            .steps(10)
                            .refinements(1)
                            .build());
        }
        if (hasTrain && type != TaskType.NAMED_ENTITY_RECOGNITION) {
            b.demonstrations(type == TaskType.SEMANTIC_MATCHING ? 2000 : 256);
        }
        return b.build();
    }

    /** The builder with the spec's batch size and concurrency, when it sets them: scoring runs as the run would. */
    private static <T> T scoring(T builder, PipelineSpec.RunSettings run) {
        if (builder instanceof InstructionProposal.Builder b) {
            apply(run, b::batchSize, b::concurrency);
        } else if (builder instanceof LabelWordingSearch.Builder b) {
            apply(run, b::batchSize, b::concurrency);
        } else if (builder instanceof DemonstrationSelection.Builder b) {
            apply(run, b::batchSize, b::concurrency);
        } else if (builder instanceof ThresholdSearch.Builder b) {
            apply(run, b::batchSize, b::concurrency);
        } else if (builder instanceof OptionSearch.Builder b) {
            apply(run, b::batchSize, b::concurrency);
        }
        return builder;
    }

    private static void apply(
            PipelineSpec.RunSettings run,
            java.util.function.IntFunction<?> batchSize,
            java.util.function.IntFunction<?> concurrency) {
        if (run.batchSize() != null) {
            batchSize.apply(run.batchSize());
        }
        if (run.concurrency() != null) {
            concurrency.apply(run.concurrency());
        }
    }

    private static Model open(String name, Map<String, String> options) {
        try {
            return Models.open(name, options);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("model: " + AutoGlmCli.describe(e));
        } catch (RuntimeException e) {
            throw CliException.aborted("cannot open the model " + name + ": " + AutoGlmCli.describe(e), e);
        }
    }

    /** A GLM client configured as the glm provider configures its own, from the same options. */
    private static GlmClient glmClient(Map<String, String> options) {
        try {
            return GlmClient.builderFromOptions(options).build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage("model.options: " + AutoGlmCli.describe(e));
        }
    }

    /** Proposals from the spec's own GLM model: one user message each, its usage and cost counted. */
    private static TextGenerator generator(GlmClient client, String modelName) {
        String model = modelName.startsWith("glm:") ? modelName.substring(4) : modelName;
        return (prompt, usage) -> {
            ChatResponse r = client.chat(ChatRequest.builder(model).user(prompt).build());
            usage.record(r.usage().promptTokens(), r.usage().completionTokens(), r.cost());
            return r.content();
        };
    }

    private static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return file.resolveSibling(stem + suffix);
    }
}
