package io.openautoglm.local;

import io.openautoglm.core.Task;
import io.openautoglm.core.UnsupportedTaskException;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Predictor;
import io.openautoglm.local.internal.ClassificationPredictor;
import io.openautoglm.local.internal.CrossEncoderPredictor;
import io.openautoglm.local.internal.MatchingPredictor;
import io.openautoglm.local.internal.NerPredictor;
import io.openautoglm.local.internal.TunedHead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local embedding model serving Open-AutoGLM tasks: text classification (zero-shot by label similarity,
 * or a logistic-regression head when the task has labelled examples) and semantic matching (cosine
 * similarity against a given or calibrated threshold, or a trained pair head; a folder fine-tuned by autoglm-train
 * reads both texts together as a cross-encoder, or, tuned as a bi-encoder, compares their tuned vectors at its
 * tuned threshold). Named-entity recognition needs a
 * model folder fine-tuned for it by autoglm-train ({@code local:DIR}): a tagger with a CRF over the token states.
 *
 * <pre>{@code
 * try (Model model = Models.open("local:bge-small-zh")) {
 *     Predictor p = model.predictor(Task.of(spec));
 *     LocalEmbeddings raw = ((LocalModel) model).embeddings();   // the vectors themselves
 * }
 * }</pre>
 *
 * <p>Task options read from {@code TaskSpec.option}: classification {@code temperature} (zero-shot softmax,
 * default 0.05), {@code useTemplate} (embed the spec's core {@code PromptTemplate} rendered for the record, default false),
 * {@code l2}, {@code epochs}, {@code seed}, {@code learningRate}, {@code batchSize} (the head); matching {@code threshold}, {@code calibrate}
 * ({@code accuracy} or {@code f1}) and {@code method} ({@code threshold} on cosine similarity, or {@code head}
 * for a trained pair classifier). See docs/local-engine.md.
 *
 * <p>A matching head is trained once per set of labelled pairs and trainer settings: the model keeps the last
 * four, so tasks that differ only in their {@code threshold} (as a threshold search makes them) reuse it.
 *
 * <p>Thread-safe; predictors are thread-safe too. Closing frees the native model.
 */
public final class LocalModel implements Model {
    private static final Logger LOG = LoggerFactory.getLogger(LocalModel.class);
    private final LocalEmbeddings embeddings;
    private final MatchingPredictor.Heads heads = new MatchingPredictor.Heads(4);
    /** The head of a fine-tuned folder (autoglm-train), or {@code null}. */
    private final TunedHead tuned;

    LocalModel(LocalEmbeddings embeddings) {
        this.embeddings = embeddings;
        try {
            this.tuned = TunedHead.find(embeddings.name());
        } catch (RuntimeException e) {
            embeddings.close(); // an unreadable head: nothing may stay loaded
            throw e;
        }
        if (tuned != null) {
            // a sentence head reads the first token's state, unit-normalised: other pooling would feed it other vectors
            String pooling = embeddings.options().pooling();
            if (pooling != null && !pooling.equals("cls") && tuned.pooling().equals("cls")) {
                embeddings.close();
                throw new IllegalArgumentException("pooling: the fine-tuned model " + embeddings.name()
                        + " reads the first token's state (cls); drop the option pooling=" + pooling);
            }
            if (tuned.maxLength() > 0
                    && tuned.maxLength() != embeddings.options().maxTokens()) {
                LOG.warn(
                        "{} was trained on texts of at most {} tokens and serves with maxTokens {}; set maxTokens={} "
                                + "to read them as in training",
                        embeddings.name(),
                        tuned.maxLength(),
                        embeddings.options().maxTokens(),
                        tuned.maxLength());
            }
        }
    }

    /** Opens a local model by name with options from a provider options map (see {@link LocalOptions}). */
    public static LocalModel open(String modelName, LocalOptions options) {
        return new LocalModel(LocalEmbeddings.open(modelName, options));
    }

    @Override
    public String name() {
        return embeddings.name();
    }

    /** The embedding model underneath, for raw vectors; closed with this model. */
    public LocalEmbeddings embeddings() {
        return embeddings;
    }

    /**
     * Prepares a predictor: embeds the label descriptions, or trains the head, or calibrates the threshold.
     *
     * @throws UnsupportedTaskException for named-entity recognition without a tagger fine-tuned for it, or a
     *                                  folder fine-tuned for another task
     * @throws io.openautoglm.core.DataException naming the first unusable labelled example
     */
    @Override
    public Predictor predictor(Task task) {
        return switch (task.type()) {
            case TEXT_CLASSIFICATION -> new ClassificationPredictor(embeddings, task, tunedFor("text_classification"));
            case SEMANTIC_MATCHING -> {
                TunedHead matcher = tunedFor(TunedHead.MATCHING);
                if (matcher != null && !matcher.readsPairsApart()) {
                    yield new CrossEncoderPredictor(embeddings.engine(), task, matcher);
                }
                // a bi-encoder folder matches as the base model does, from the threshold it was tuned with
                yield new MatchingPredictor(
                        embeddings, task, heads, matcher == null ? Double.NaN : matcher.threshold());
            }
            case NAMED_ENTITY_RECOGNITION -> {
                if (tunedFor(TunedHead.NER) != null) {
                    yield new NerPredictor(embeddings.engine(), task, tuned);
                }
                throw new UnsupportedTaskException("The local model '" + name()
                        + "' has no NER head: train one on labelled entities with `autoglm train SPEC --train "
                        + "FILE --dev FILE --out DIR` (or LocalTrainer in io.openautoglm:autoglm-train), then use "
                        + "'local:DIR'; or use a generative model such as 'glm-4-flash' (add "
                        + "io.openautoglm:autoglm-glm-client) for NAMED_ENTITY_RECOGNITION.");
            }
        };
    }

    /** The folder's tuned head when it was trained for this task; a head for another task is an error. */
    private TunedHead tunedFor(String taskName) {
        if (tuned != null && !tuned.task().equals(taskName)) {
            throw new UnsupportedTaskException("The model folder '" + name() + "' was fine-tuned for " + tuned.task()
                    + ", not " + taskName + "; train a model for this task with `autoglm train`");
        }
        return tuned;
    }

    @Override
    public void close() {
        embeddings.close();
    }

    @Override
    public String toString() {
        return "LocalModel[" + embeddings + "]";
    }
}
