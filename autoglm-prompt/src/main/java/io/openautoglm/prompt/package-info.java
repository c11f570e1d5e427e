/**
 * Pluggable prompt optimisers that work with any model provider. The template they search over is the core
 * {@link io.openautoglm.core.PromptTemplate}, the one every provider fills.
 *
 * <p>A {@link io.openautoglm.prompt.PromptSpec} is everything an optimiser may change (instruction,
 * label wording, demonstrations, output format, options such as a threshold) and runs on any
 * {@link io.openautoglm.core.TaskPipeline}. A {@link io.openautoglm.prompt.PromptOptimizer} searches
 * variants of a starting spec, scores each on a labelled dev set under a {@link io.openautoglm.core.SearchBudget},
 * and returns an {@link io.openautoglm.prompt.OptimizationResult}: the best spec, its dev score against the
 * start's, and the whole trajectory. Optimisers: {@link io.openautoglm.prompt.LabelWordingSearch},
 * {@link io.openautoglm.prompt.DemonstrationSelection}, {@link io.openautoglm.prompt.InstructionProposal}
 * (OPRO, with a {@link io.openautoglm.prompt.TextGenerator}), {@link io.openautoglm.prompt.ThresholdSearch},
 * {@link io.openautoglm.prompt.OptionSearch} (task options such as a matching method),
 * and {@link io.openautoglm.prompt.CompositeOptimizer} to run them in sequence.
 *
 * <pre>{@code
 * try (Model model = Models.open("local:bge-small-zh")) {
 *     PromptSpec start = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION).label("正面").label("负面").build();
 *     OptimizationResult result = LabelWordingSearch.builder().model(model).seed(7).build()
 *             .optimize(start, train, dev, SearchBudget.ofCandidates(40));
 *     System.out.println(result.summary());
 *     try (TaskPipeline best = result.pipeline(model)) {
 *         System.out.println(best.run(test).summary());   // test: the final spec only
 *     }
 * }
 * }</pre>
 */
package io.openautoglm.prompt;
