package io.openautoglm.core;

import io.openautoglm.core.internal.ClassificationTask;
import io.openautoglm.core.internal.MatchingTask;
import io.openautoglm.core.internal.NerTask;
import java.util.Optional;

/**
 * The task logic shared by every model: how a record is checked, turned into a prompt, how a model's
 * text answer is parsed into a typed {@link Prediction}, and how predictions are scored.
 *
 * <p>Generative model providers use {@link #renderPrompt} and {@link #parse}; embedding models produce
 * predictions directly and use only {@link #validate} and {@link #newEvaluator}. Thread-safe.
 *
 * <pre>{@code
 * Task task = Task.of(TaskSpec.builder().taskType(TaskType.TEXT_CLASSIFICATION).labels("正面", "负面").build());
 * Prediction p = task.parse("答案：正面", TextRecord.of("房间很干净"));
 * }</pre>
 */
public interface Task {

    /** The task for a spec. */
    static Task of(TaskSpec spec) {
        return switch (spec.type()) {
            case TEXT_CLASSIFICATION -> new ClassificationTask(spec);
            case NAMED_ENTITY_RECOGNITION -> new NerTask(spec);
            case SEMANTIC_MATCHING -> new MatchingTask(spec);
        };
    }

    TaskSpec spec();

    default TaskType type() {
        return spec().type();
    }

    /**
     * Why this (already normalised) record cannot be run, or empty if it can: an empty text, a gold
     * label outside the label set, a pair without its second text.
     */
    Optional<String> validate(TextRecord record);

    /**
     * Why a model's prediction cannot stand as this task's result, or empty if it can: no prediction or one of
     * another task's type ({@link Failure.Kind#MODEL_ERROR}), or a label outside the label set
     * ({@link Failure.Kind#UNPARSEABLE_ANSWER}). The pipeline makes such a prediction its record's failure, so
     * that one faulty answer cannot end a run.
     */
    default Optional<Failure> checkPrediction(Prediction prediction) {
        if (prediction == null) {
            return Optional.of(Failure.of(Failure.Kind.MODEL_ERROR, "the model returned no prediction"));
        }
        Class<? extends Prediction> expected = switch (type()) {
            case TEXT_CLASSIFICATION -> Prediction.Classification.class;
            case NAMED_ENTITY_RECOGNITION -> Prediction.Entities.class;
            case SEMANTIC_MATCHING -> Prediction.Match.class;
        };
        if (!expected.isInstance(prediction)) {
            return Optional.of(Failure.of(
                    Failure.Kind.MODEL_ERROR,
                    "the model returned a " + prediction.getClass().getSimpleName() + " prediction for a " + type()
                            + " task"));
        }
        if (prediction instanceof Prediction.Classification c
                && !spec().labelNames().contains(c.label())) {
            return Optional.of(Failure.of(
                    Failure.Kind.UNPARSEABLE_ANSWER,
                    "the model answered label '" + c.label() + "', which is not one of the labels "
                            + spec().labelNames()));
        }
        return Optional.empty();
    }

    /** The full prompt for a generative model, including the expected output format. */
    String renderPrompt(TextRecord record);

    /**
     * Parses a generative model's answer.
     *
     * @throws OutputParseException when the answer cannot be read as this task's result; the raw answer
     *                              is kept in the exception, never replaced by a guess, and a predictor reports
     *                              it as a {@link Failure.Kind#UNPARSEABLE_ANSWER} failure
     */
    Prediction parse(String modelOutput, TextRecord record);

    /** A fresh, empty accumulator of this task's metrics. */
    Evaluator newEvaluator();
}
