package io.openautoglm.local.internal;

import io.openautoglm.core.DataException;
import io.openautoglm.core.Failure;
import io.openautoglm.core.Label;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.PromptTemplate;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.OptionReader;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import io.openautoglm.local.LocalEmbeddings;
import io.openautoglm.local.LogisticRegressionHead;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text classification on embeddings: zero-shot by cosine similarity to each label's description, or, with
 * labelled examples, a standardised logistic-regression head trained on their embeddings. That head starts from the
 * zero-shot classifier written as a linear head (weights: the unit label-description vectors divided by the
 * temperature; no bias) and is held near it with a strength that fades as the examples grow (task option
 * {@code priorStrength}, see {@link LogisticRegressionHead.Trainer#train(float[][], int[], int, float[][], double)}):
 * a few examples from one domain cannot pull it far from what the label words know, and lose less on other domains
 * than a head trained from zero. With the task option
 * {@code useTemplate} the text embedded is the spec's {@link PromptTemplate} rendered for the record (the core
 * template, filled as for a generative model; one without {@code {text}} is a prefix to the text). Immutable after
 * construction and thread-safe.
 */
public final class ClassificationPredictor implements Predictor {
    private static final Logger LOG = LoggerFactory.getLogger(ClassificationPredictor.class);

    /** Softmax temperature on cosine similarities; sentence-embedding similarities differ by hundredths. */
    public static final double DEFAULT_TEMPERATURE = 0.05;

    private final LocalEmbeddings embeddings;
    private final TaskSpec spec;
    private final List<String> names;
    /** The template the embedded text is rendered through, or {@code null} to embed the bare text. */
    private final PromptTemplate template;
    /** What the template's {@code {examples}} shows: the spec's examples, when it uses them. */
    private final List<TextRecord> demonstrations;

    private final double temperature;
    private final float[][] labelVectors;
    private final LogisticRegressionHead head;
    /** A fine-tuned model's own head, with the index of each task label among its classes. */
    private final TunedHead tuned;

    private final int[] tunedOrder;

    public ClassificationPredictor(LocalEmbeddings embeddings, Task task) {
        this(embeddings, task, null);
    }

    /** A predictor for a fine-tuned model folder: its own head decides, over the task's labels. */
    public ClassificationPredictor(LocalEmbeddings embeddings, Task task, TunedHead tuned) {
        TaskSpec spec = task.spec();
        this.spec = spec;
        this.embeddings = embeddings;
        this.names = spec.labelNames();
        OptionReader options = TaskOptions.of(spec);
        boolean useTemplate = options.bool("useTemplate", false);
        if (useTemplate && spec.promptTemplate() == null) {
            throw options.invalid(
                    "useTemplate", "there is no promptTemplate to use; set one (with {text}), or drop " + "the option");
        }
        this.template = useTemplate ? asPrefixIfNoText(spec.promptTemplate()) : null;
        this.demonstrations = template != null && template.uses("examples") && spec.examples() != null
                ? List.copyOf(spec.examples().toList())
                : List.of();
        this.temperature = options.decimal("temperature", DEFAULT_TEMPERATURE, 0, Double.POSITIVE_INFINITY);
        if (temperature == 0) {
            throw options.invalid("temperature", "expected a finite number above 0");
        }
        this.tuned = tuned;
        this.tunedOrder = tuned == null ? null : order(tuned, names, embeddings.name());
        if (tuned != null) {
            this.head = null;
            this.labelVectors = null;
            LOG.info("Classification with the fine-tuned head of {} on labels {}", embeddings.name(), names);
        } else if (spec.examples() == null) {
            this.head = null;
            this.labelVectors = embeddings.embed(
                    spec.labels().stream().map(Label::description).toList());
            LOG.info("Zero-shot classification with {} on labels {}", embeddings.name(), names);
        } else {
            this.labelVectors = null;
            this.head = train(task);
        }
    }

    private LogisticRegressionHead train(Task task) {
        TaskSpec spec = task.spec();
        long start = System.nanoTime();
        List<TextRecord> examples = Examples.read(task);
        int[] y = new int[examples.size()];
        TreeSet<String> seen = new TreeSet<>();
        List<String> texts = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            y[i] = names.indexOf(examples.get(i).label());
            seen.add(examples.get(i).label());
            texts.add(input(examples.get(i)));
        }
        if (seen.size() < 2) {
            throw new DataException(
                    spec.examples().name(),
                    0,
                    "the labelled examples hold only the label(s) " + seen
                            + "; a trained head needs examples of at least two of " + names);
        }
        OptionReader options = TaskOptions.of(spec);
        LogisticRegressionHead.Trainer trainer = TaskOptions.trainer(options);
        double priorStrength = TaskOptions.priorStrength(options);
        if (seen.size() < names.size()) {
            LOG.warn(
                    "Labelled examples cover only {} of the labels {}; the others {}",
                    seen,
                    names,
                    priorStrength > 0
                            ? "keep their zero-shot weights"
                            : "will rarely be predicted (priorStrength=0: no zero-shot prior)");
        }
        float[][] x = embeddings.embed(texts, new UsageMeter());
        LogisticRegressionHead trained = priorStrength > 0
                ? trainer.train(x, y, names.size(), zeroShotWeights(), priorStrength)
                : trainer.train(x, y, names.size());
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            correct += trained.predict(x[i]) == y[i] ? 1 : 0;
        }
        LOG.info(
                "Trained a logistic-regression head on {} examples from {} with {} ({}, {}): training accuracy {}, {} ms",
                x.length,
                spec.examples().name(),
                embeddings.name(),
                trainer,
                priorStrength > 0 ? "zero-shot prior of strength " + priorStrength : "no prior",
                String.format("%.3f", (double) correct / x.length),
                (System.nanoTime() - start) / 1_000_000);
        return trained;
    }

    /**
     * The zero-shot classifier as a linear head over the (unit-norm) text embedding: for label k, its unit description
     * vector divided by the temperature, so that {@code w_k · v} is the zero-shot logit {@code cos(v, d_k) / T}.
     */
    private float[][] zeroShotWeights() {
        float[][] w =
                embeddings.embed(spec.labels().stream().map(Label::description).toList());
        for (float[] row : w) {
            double norm = 0;
            for (float f : row) {
                norm += (double) f * f;
            }
            double factor = 1 / (Math.sqrt(norm) * temperature);
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) (row[j] * factor);
            }
        }
        return w;
    }

    /** A template without {@code {text}} as a prefix: the text follows it directly. */
    private static PromptTemplate asPrefixIfNoText(PromptTemplate t) {
        return t.uses("text")
                ? t
                : PromptTemplate.builder(t.source() + "{text}")
                        .fields(t.fields())
                        .build();
    }

    /**
     * The text the model embeds: the record's text, or the prompt template rendered for the record.
     *
     * @throws IllegalArgumentException when the record lacks a metadata field or second text the template uses
     */
    String input(TextRecord record) {
        return template == null
                ? record.text()
                : template.render(record, spec.labels(), spec.entityTypes(), demonstrations);
    }

    @Override
    public List<Outcome> predict(List<TextRecord> batch, UsageMeter usage) {
        List<String> texts = new ArrayList<>(batch.size());
        String[] unrendered = new String[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            try {
                texts.add(input(batch.get(i)));
            } catch (IllegalArgumentException e) {
                // one record without a field the template uses fails alone, not its whole batch
                unrendered[i] = "cannot fill the prompt template: " + e.getMessage();
            }
        }
        float[][] vectors = texts.isEmpty() ? new float[0][] : embeddings.embed(texts, usage);
        List<Outcome> out = new ArrayList<>(batch.size());
        int next = 0;
        for (String problem : unrendered) {
            if (problem != null) {
                out.add(Outcome.failure(Failure.Kind.INVALID_INPUT, problem));
                continue;
            }
            float[] v = vectors[next++];
            double[] p = tuned != null ? tunedScores(v) : head != null ? head.probabilities(v) : zeroShot(v);
            int best = 0;
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int k = 0; k < p.length; k++) {
                scores.put(names.get(k), p[k]);
                if (p[k] > p[best]) {
                    best = k;
                }
            }
            out.add(Outcome.success(new Prediction.Classification(names.get(best), p[best], scores)));
        }
        return out;
    }

    private static int[] order(TunedHead tuned, List<String> labels, String model) {
        if (!new java.util.HashSet<>(labels).equals(new java.util.HashSet<>(tuned.classes()))) {
            throw new IllegalArgumentException("task.labels " + labels + " differ from the classes " + tuned.classes()
                    + " that " + model + " was fine-tuned on; use those labels, or train it again on these");
        }
        return labels.stream().mapToInt(tuned.classes()::indexOf).toArray();
    }

    private double[] tunedScores(float[] v) {
        double[] byClass = tuned.probabilities(v);
        double[] byLabel = new double[tunedOrder.length];
        for (int k = 0; k < byLabel.length; k++) {
            byLabel[k] = byClass[tunedOrder[k]];
        }
        return byLabel;
    }

    private double[] zeroShot(float[] v) {
        double[] logits = new double[labelVectors.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < logits.length; k++) {
            logits[k] = LocalEmbeddings.cosine(v, labelVectors[k]) / temperature;
            max = Math.max(max, logits[k]);
        }
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            logits[k] = Math.exp(logits[k] - max);
            sum += logits[k];
        }
        for (int k = 0; k < logits.length; k++) {
            logits[k] /= sum;
        }
        return logits;
    }

    /** Whether a trained head (rather than label similarity) decides. */
    public boolean fewShot() {
        return head != null || tuned != null;
    }
}
