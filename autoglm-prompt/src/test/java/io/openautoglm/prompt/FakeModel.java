package io.openautoglm.prompt;

import io.openautoglm.core.Label;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UnsupportedTaskException;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic stand-in for a model, so that optimiser tests are fast and exact.
 *
 * <p>Zero-shot classification counts the label wording's words (split on commas and spaces) in the text;
 * ties go to the first label. With examples, it is 1-nearest-neighbour by Jaccard similarity of word
 * sets, so which demonstrations are chosen matters. Matching scores a pair by word Jaccard and matches at
 * the {@code threshold} option (default 0.5; with {@code method=head}, which needs examples, the
 * threshold with the best accuracy on the examples). When {@code instructionSensitive}, a spec whose template
 * lacks the word "carefully" answers the first label for everything. One call per batch, tokens = words,
 * {@code costPerCall} per call.
 *
 * <p>Named {@code fake}, or {@code fake:careful} when instruction-sensitive, and opened by those names through
 * {@link FakeModelProvider}, so that a saved pipeline spec that names it runs.
 */
final class FakeModel implements Model {
    final AtomicInteger predictors = new AtomicInteger();
    private final boolean instructionSensitive;
    private final double costPerCall;

    FakeModel() {
        this(false, 0);
    }

    FakeModel(boolean instructionSensitive, double costPerCall) {
        this.instructionSensitive = instructionSensitive;
        this.costPerCall = costPerCall;
    }

    @Override
    public String name() {
        return instructionSensitive ? "fake:careful" : "fake";
    }

    @Override
    public Predictor predictor(Task task) {
        predictors.incrementAndGet();
        TaskSpec spec = task.spec();
        boolean lazy = instructionSensitive
                && (spec.promptTemplate() == null
                        || !spec.promptTemplate().source().contains("carefully"));
        if (spec.type() == TaskType.TEXT_CLASSIFICATION) {
            List<TextRecord> examples =
                    spec.examples() == null ? null : spec.examples().toList();
            return (batch, usage) -> {
                usage.record(
                        batch.stream().mapToLong(r -> words(r.text()).size()).sum(), batch.size(), costPerCall);
                return batch.stream()
                        .map(r -> Outcome.success(
                                lazy
                                        ? new Prediction.Classification(
                                                spec.labels().get(0).name(), 0.5, Map.of())
                                        : examples != null ? nearest(r, examples) : keywords(r, spec.labels())))
                        .toList();
            };
        }
        if (spec.type() == TaskType.SEMANTIC_MATCHING) {
            // method=head stands in for a trained matcher: it needs labelled pairs and, without a threshold
            // option, takes the threshold that separates them best
            boolean head = spec.option("method", "threshold").equals("head");
            if (head && spec.examples() == null) {
                throw new IllegalArgumentException("method=head needs labelled pairs");
            }
            double threshold = Double.parseDouble(spec.option(
                    "threshold",
                    head ? Double.toString(calibrated(spec.examples().toList())) : "0.5"));
            return (batch, usage) -> {
                usage.record(batch.size() * 4L, batch.size(), costPerCall);
                return batch.stream()
                        .map(r -> {
                            double s = jaccard(words(r.text()), words(r.textB()));
                            return Outcome.success(new Prediction.Match(s >= threshold, s));
                        })
                        .toList();
            };
        }
        throw new UnsupportedTaskException("fake model: no " + spec.type());
    }

    private static Prediction keywords(TextRecord r, List<Label> labels) {
        Set<String> text = words(r.text());
        int best = 0;
        int bestCount = -1;
        for (int i = 0; i < labels.size(); i++) {
            int count = 0;
            for (String w : labels.get(i).description().split("[,，、\\s]+")) {
                if (text.contains(w.toLowerCase())) {
                    count++;
                }
            }
            if (count > bestCount) {
                best = i;
                bestCount = count;
            }
        }
        return new Prediction.Classification(labels.get(best).name(), Math.min(1, 0.5 + 0.1 * bestCount), Map.of());
    }

    private static Prediction nearest(TextRecord r, List<TextRecord> examples) {
        Set<String> text = words(r.text());
        TextRecord best = examples.get(0);
        double bestSim = -1;
        for (TextRecord e : examples) {
            double s = jaccard(text, words(e.text()));
            if (s > bestSim) {
                best = e;
                bestSim = s;
            }
        }
        return new Prediction.Classification(best.label(), Math.max(0, bestSim), Map.of());
    }

    /** The pair-Jaccard threshold with the best accuracy on labelled pairs. */
    private static double calibrated(List<TextRecord> pairs) {
        double best = 0.5;
        long bestCorrect = -1;
        for (int t = 0; t <= 20; t++) {
            double threshold = t / 20.0;
            long correct = pairs.stream()
                    .filter(r -> (jaccard(words(r.text()), words(r.textB())) >= threshold)
                            == r.label().equals("1"))
                    .count();
            if (correct > bestCorrect) {
                bestCorrect = correct;
                best = threshold;
            }
        }
        return best;
    }

    static Set<String> words(String s) {
        Set<String> out = new HashSet<>();
        for (String w : s.toLowerCase().split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    static double jaccard(Set<String> a, Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        if (union.isEmpty()) {
            return 0;
        }
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return (double) both.size() / union.size();
    }

    @Override
    public void close() {}
}
