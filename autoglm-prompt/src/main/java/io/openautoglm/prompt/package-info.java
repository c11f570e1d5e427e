/**
 * Pluggable prompt optimisers that work with any model provider. The template they search over is the core
 * {@link io.openautoglm.core.PromptTemplate}, the one every provider fills.
 *
 * <p>A {@link io.openautoglm.prompt.PromptSpec} is the task of a {@link io.openautoglm.core.PipelineSpec}, seen
 * as everything an optimiser may change (instruction, label wording, demonstrations, options such as a
 * threshold); it wraps the core {@link io.openautoglm.core.TaskSpec} and its JSON is the spec's {@code task}
 * section. A {@link io.openautoglm.prompt.PromptOptimizer} takes a pipeline spec (or a bare task), searches
 * variants of its task, scores each on a labelled dev set under a {@link io.openautoglm.core.SearchBudget}, and
 * returns an {@link io.openautoglm.prompt.OptimizationResult}: the best task, its dev score against the start's,
 * the whole trajectory, and the start's pipeline spec with the best task, which
 * {@link io.openautoglm.prompt.OptimizationResult#save} writes as a spec that runs as it is. Optimisers:
 * {@link io.openautoglm.prompt.LabelWordingSearch},
 * {@link io.openautoglm.prompt.DemonstrationSelection}, {@link io.openautoglm.prompt.InstructionProposal}
 * (OPRO, with a {@link io.openautoglm.prompt.TextGenerator}), {@link io.openautoglm.prompt.ThresholdSearch},
 * {@link io.openautoglm.prompt.OptionSearch} (task options such as a matching method),
 * and {@link io.openautoglm.prompt.CompositeOptimizer} to run them in sequence.
 *
 * <pre>{@code
 * PipelineSpec start = PipelineSpec.read(Path.of("reviews.json"));
 * try (Model model = Models.open(start.model().name())) {
 *     OptimizationResult result = LabelWordingSearch.builder().model(model).seed(7).build()
 *             .optimize(start, train, dev, SearchBudget.ofCandidates(40));
 *     System.out.println(result.summary());
 *     result.save(Path.of("reviews-best.json"));          // autoglm run reviews-best.json
 *     try (TaskPipeline best = result.pipeline(model)) {
 *         System.out.println(best.run(test).summary());   // test: the final spec only
 *     }
 * }
 * }</pre>
 */
package io.openautoglm.prompt;
