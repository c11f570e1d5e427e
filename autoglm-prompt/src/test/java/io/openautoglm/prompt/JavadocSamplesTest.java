package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Models;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.testing.JavadocSamples;
import io.openautoglm.glm.ChatRequest;
import io.openautoglm.glm.ChatResponse;
import io.openautoglm.glm.GlmClient;
import io.openautoglm.glm.testing.GlmTestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Javadoc samples of this module, compiled and run here (see {@link JavadocSamples}).
 */
class JavadocSamplesTest {

    @Test
    void textGeneratorSampleCompilesRunsAndIsTheOneInTheJavadoc() throws Exception {
        try (GlmTestServer server = GlmTestServer.builder()
                        .apiKey("id.secret")
                        .answerer(c -> "proposal")
                        .build()
                        .start();
                GlmClient client = GlmClient.builder()
                        .apiKey("id.secret")
                        .baseUrl(server.baseUrl())
                        .build()) {
            // sample: TextGenerator
            TextGenerator glm = (prompt, usage) -> {
                ChatResponse r = client.chat(
                        ChatRequest.builder("glm-4-flash").user(prompt).build());
                usage.record(r.usage().promptTokens(), r.usage().completionTokens(), r.cost());
                return r.content();
            };
            // end sample
            UsageMeter usage = new UsageMeter();
            assertEquals("proposal", glm.generate("write an instruction", usage));
            assertTrue(usage.snapshot(java.time.Duration.ZERO).calls() >= 1);
        }
        assertSampleShown("TextGenerator");
    }

    @SuppressWarnings("unused") // compiled, not run: the optimizer samples need a model and data sets
    private static void demonstrationSelectionSample(Model model, PromptSpec start, Dataset train, Dataset dev) {
        // sample: DemonstrationSelection
        DemonstrationSelection selection = DemonstrationSelection.builder()
                .model(model)
                .perClass(8)
                .trials(24)
                .seed(1)
                .build();
        OptimizationResult result = selection.optimize(start, train, dev, SearchBudget.unlimited());
        // end sample
    }

    @SuppressWarnings("unused")
    private static void compositeOptimizerSample(Model model, PromptSpec start, Dataset train, Dataset dev) {
        // sample: CompositeOptimizer
        PromptOptimizer all = CompositeOptimizer.of(
                LabelWordingSearch.builder().model(model).build(),
                DemonstrationSelection.builder().model(model).perClass(8).build());
        OptimizationResult result = all.optimize(start, train, dev, SearchBudget.ofCandidates(60));
        // end sample
    }

    @SuppressWarnings("unused")
    private static void promptSpecSample(Model model, Dataset dev, PipelineSpec pipelineSpec) {
        // sample: PromptSpec
        PromptSpec spec = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
                .instruction("判断酒店评论的情感：{text}")
                .label("正面", "这家酒店很好，我很满意")
                .label("负面", "这家酒店很差，我很失望")
                .build();
        try (TaskPipeline pipeline =
                spec.applyTo(TaskPipeline.builder().model(model)).build()) {
            System.out.println(pipeline.run(dev).summary());
        }
        PipelineSpec runnable = pipelineSpec.withTask(spec.task());
        // end sample
    }

    @SuppressWarnings("unused")
    private static void promptOptimizerSample(Dataset train, Dataset dev) {
        // sample: PromptOptimizer
        PipelineSpec start = PipelineSpec.read(Path.of("spec.json"));
        try (Model model = Models.open(start.model().name())) { // the model the spec names
            PromptOptimizer optimizer =
                    LabelWordingSearch.builder().model(model).seed(7).build();
            OptimizationResult result = optimizer.optimize(start, train, dev, SearchBudget.ofCandidates(30));
            System.out.println(result.finalPrompt());
            result.save(Path.of("best.json")); // autoglm run best.json
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void optimizationResultSample(
            PromptOptimizer optimizer, Dataset train, Dataset dev, Dataset test, SearchBudget budget) {
        // sample: OptimizationResult
        OptimizationResult result = optimizer.optimize(PipelineSpec.read(Path.of("spec.json")), train, dev, budget);
        System.out.println(result.summary());
        System.out.println(result.finalPrompt());
        result.save(Path.of("best.json")); // a pipeline spec: autoglm run best.json
        result.saveResult(Path.of("result.json")); // the whole trajectory: loadResult reads it back
        result.writeChart(Path.of("trajectory.png"));
        try (TaskPipeline pipeline =
                TaskPipeline.builder().spec(result.bestPipelineSpec()).build()) {
            pipeline.run(test); // test scores: for the final spec only
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void thresholdSearchSample(Model model, PromptSpec start, Dataset train, Dataset dev) {
        // sample: ThresholdSearch
        ThresholdSearch thresholds =
                ThresholdSearch.builder().model(model).range(0.5, 1.0).build();
        OptimizationResult r = thresholds.optimize(start, train, dev, SearchBudget.ofCandidates(40));
        String t = r.bestSpec().options().get("threshold");
        // end sample
    }

    @SuppressWarnings("unused")
    private static void instructionProposalSample(
            Model glmModel, TextGenerator glmGenerator, PromptSpec start, Dataset train, Dataset dev) {
        // sample: InstructionProposal
        InstructionProposal opro = InstructionProposal.builder()
                .model(glmModel) // scores candidates
                .generator(glmGenerator) // proposes them
                .maxSteps(8)
                .proposalsPerStep(4)
                .patience(2)
                .seed(3)
                .build();
        OptimizationResult result = opro.optimize(
                start, train, dev, SearchBudget.builder().maxCost(2.0).build());
        // end sample
    }

    @SuppressWarnings("unused")
    private static void optionSearchSample(Model model, PromptSpec start, Dataset train, Dataset dev) {
        // sample: OptionSearch
        OptimizationResult r = OptionSearch.builder()
                .model(model)
                .option("method", List.of("threshold", "head"))
                .option("l2", List.of("0.3", "1"))
                .demonstrations(4000)
                .seed(7)
                .refineEach(ThresholdSearch.builder()
                        .model(model)
                        .steps(10)
                        .refinements(1)
                        .build())
                .build()
                .optimize(start, train, dev, SearchBudget.ofCandidates(100));
        // end sample
    }

    @SuppressWarnings("unused")
    private static void labelWordingSearchSample(Model model, PromptSpec start, Dataset train, Dataset dev) {
        // sample: LabelWordingSearch
        LabelWordingSearch search = LabelWordingSearch.builder()
                .model(model) // e.g. Models.open("local:bge-small-zh")
                .wordings("正面", List.of("好评", "这家酒店很好，我很满意"))
                .wordings("负面", List.of("差评", "这家酒店很差，我很失望"))
                .seed(7)
                .build();
        OptimizationResult result = search.optimize(start, train, dev, SearchBudget.ofCandidates(40));
        // end sample
    }

    @Test
    void optimizerClassesShowTheCompiledSamples() {
        for (String name : List.of(
                "DemonstrationSelection",
                "CompositeOptimizer",
                "PromptSpec",
                "PromptOptimizer",
                "OptimizationResult",
                "ThresholdSearch",
                "InstructionProposal",
                "OptionSearch",
                "LabelWordingSearch")) {
            assertSampleShown(name);
        }
    }

    private static void assertSampleShown(String name) {
        JavadocSamples.assertShown(
                Path.of("src/main/java/io/openautoglm/prompt/" + name + ".java"),
                Path.of("src/test/java/io/openautoglm/prompt/JavadocSamplesTest.java"),
                name);
    }
}
