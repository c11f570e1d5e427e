package io.openautoglm.prompt;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskPipeline;

/**
 * A prompt optimiser: searches variants of a starting task, scores each on the dev set, and returns the best
 * with the whole trajectory. It takes a {@link PipelineSpec} and returns one: the result's
 * {@link OptimizationResult#bestPipelineSpec()} is the start with the best task, and
 * {@link OptimizationResult#save} writes it as a spec that runs as it is.
 *
 * <p>Contract, which every implementation keeps:
 * <ul>
 *   <li>the starting spec is scored first and is always a candidate, so the result is never worse than
 *       the start on dev;</li>
 *   <li>candidates are formed from {@code train} only and selected on {@code dev} only; test data never
 *       enters an optimiser (score it afterwards, on the final spec alone);</li>
 *   <li>the run stops cleanly at the first {@link SearchBudget} limit and says which in
 *       {@link OptimizationResult#stopReason()};</li>
 *   <li>the same seed, data and deterministic model give the same result.</li>
 * </ul>
 *
 * <pre>{@code
 * PipelineSpec start = PipelineSpec.read(Path.of("spec.json"));
 * try (Model model = Models.open(start.model().name())) {        // the model the spec names
 *     PromptOptimizer optimizer = LabelWordingSearch.builder().model(model).seed(7).build();
 *     OptimizationResult result = optimizer.optimize(start, train, dev, SearchBudget.ofCandidates(30));
 *     System.out.println(result.finalPrompt());
 *     result.save(Path.of("best.json"));   // autoglm run best.json
 * }
 * }</pre>
 */
public interface PromptOptimizer {

    /** A short name for trajectories and reports, e.g. {@code label-wording}. */
    String name();

    /**
     * Optimises a spec; the result's base is a pipeline spec with the start's task and the name of the model
     * candidates were scored on.
     *
     * @param start  the spec to improve; scored as the first candidate
     * @param train  labelled data candidates are formed from (demonstrations, mined wordings)
     * @param dev    labelled held-out data candidates are scored on; must not be {@code train}
     * @param budget the limits of this run
     */
    OptimizationResult optimize(PromptSpec start, Dataset train, Dataset dev, SearchBudget budget);

    /**
     * Optimises the task of a pipeline spec and records the spec as the result's {@link OptimizationResult#base()},
     * so that {@link OptimizationResult#bestPipelineSpec()} is the same run with the best task. Candidates are
     * scored on the optimiser's model, which should be the one the spec names.
     */
    default OptimizationResult optimize(PipelineSpec start, Dataset train, Dataset dev, SearchBudget budget) {
        return optimize(PromptSpec.of(start.task()), train, dev, budget).withBase(start);
    }

    /** Optimises the spec a pipeline runs. */
    default OptimizationResult optimize(TaskPipeline pipeline, Dataset train, Dataset dev, SearchBudget budget) {
        return optimize(PromptSpec.from(pipeline), train, dev, budget);
    }
}
