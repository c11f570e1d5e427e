package io.openautoglm.prompt;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Label;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.prompt.internal.DistinctiveTerms;
import io.openautoglm.prompt.internal.Knobs;
import io.openautoglm.prompt.internal.Scoring;
import io.openautoglm.prompt.internal.Search;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Searches the wording of each label ({@link Label#description()}): the text an embedding model compares
 * inputs with, or the gloss a generative model reads beside each label name.
 *
 * <p>Candidate wordings come from three sources, interleaved: those the user gives per label; terms that
 * distinguish the label in the training data (single terms and short lists of them); and, when a
 * {@link TextGenerator} is configured, phrases a generative model proposes. The search is coordinate
 * ascent: label by label, each wording is scored on dev with the other labels held at their best, the best
 * is kept, and then the best joined with the runners-up is tried; rounds repeat until one brings no gain,
 * the round limit, or the budget.
 *
 * <pre>{@code
 * LabelWordingSearch search = LabelWordingSearch.builder()
 *         .model(model)                       // e.g. Models.open("local:bge-small-zh")
 *         .wordings("正面", List.of("好评", "这家酒店很好，我很满意"))
 *         .wordings("负面", List.of("差评", "这家酒店很差，我很失望"))
 *         .seed(7)
 *         .build();
 * OptimizationResult result = search.optimize(start, train, dev, SearchBudget.ofCandidates(40));
 * }</pre>
 *
 * <p>Classification only. Immutable and thread-safe; each {@code optimize} call is independent.
 */
public final class LabelWordingSearch implements PromptOptimizer {
    private static final Logger LOG = LoggerFactory.getLogger(LabelWordingSearch.class);
    public static final String NAME = "label-wording";

    private final Scoring scoring;
    private final long seed;
    private final Map<String, List<String>> userWordings;
    private final boolean mine;
    private final int minedTerms;
    private final int miningSample;
    private final TextGenerator generator;
    private final int generatedPerLabel;
    private final int rounds;

    private LabelWordingSearch(Builder b) {
        this.scoring = b.scoring();
        this.seed = b.seed;
        Map<String, List<String>> w = new LinkedHashMap<>();
        b.wordings.forEach((k, v) -> w.put(k, List.copyOf(v)));
        this.userWordings = Collections.unmodifiableMap(w);
        this.mine = b.mine;
        this.minedTerms = b.minedTerms;
        this.miningSample = b.miningSample;
        this.generator = b.generator;
        this.generatedPerLabel = b.generatedPerLabel;
        this.rounds = b.rounds;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public OptimizationResult optimize(PromptSpec start, Dataset train, Dataset dev, SearchBudget budget) {
        if (start.taskType() != TaskType.TEXT_CLASSIFICATION) {
            throw new IllegalArgumentException(
                    "label wording search needs a TEXT_CLASSIFICATION spec, got " + start.taskType());
        }
        for (String name : userWordings.keySet()) {
            if (!start.labels().stream().map(Label::name).toList().contains(name)) {
                throw new IllegalArgumentException("wordings: label '" + name + "' is not one of the spec's labels "
                        + start.labels().stream().map(Label::name).toList());
            }
        }
        Search search = new Search(NAME, scoring, start, train, dev, budget, seed);
        search.scoreStart(start, "start");
        Map<String, List<String>> pool = candidates(start, train, search);
        LOG.info("{}: candidate wordings {}", NAME, pool);

        PromptSpec current = start;
        for (int round = 1; round <= rounds && !search.stopped(); round++) {
            double before = search.best().score();
            for (int li = 0; li < start.labels().size() && !search.stopped(); li++) {
                String name = start.labels().get(li).name();
                // current is the best spec so far, so its wording of this label scored the best score.
                Map<String, Double> scores = new LinkedHashMap<>();
                scores.put(current.labels().get(li).description(), search.best().score());
                for (String wording : pool.getOrDefault(name, List.of())) {
                    PromptSpec candidate = current.withLabels(replace(current.labels(), li, wording));
                    var c = search.score(candidate, "label " + name + " = \"" + wording + "\"");
                    if (c.isEmpty()) {
                        break;
                    }
                    scores.putIfAbsent(wording, c.get().score());
                }
                current = search.best().spec();
                // Joining the label's best wordings often describes it better than any one of them.
                for (String joined : joins(scores, current.labels().get(li).description(), start)) {
                    var c = search.score(
                            current.withLabels(replace(current.labels(), li, joined)),
                            "label " + name + " = \"" + joined + "\" (joined)");
                    if (c.isEmpty()) {
                        break;
                    }
                }
                current = search.best().spec();
            }
            if (!search.stopped() && search.best().score() <= before) {
                search.stop(StopReason.NO_IMPROVEMENT);
            }
        }
        return search.finish(StopReason.EXHAUSTED);
    }

    /** The label's best wording joined with the next best one and the next two, by their dev scores. */
    private static List<String> joins(Map<String, Double> scores, String best, PromptSpec start) {
        List<String> ranked = scores.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(java.util.Comparator.reverseOrder()))
                .map(Map.Entry::getKey)
                .filter(w -> !w.equals(best))
                .toList();
        String sep = separator(start);
        List<String> out = new ArrayList<>();
        if (ranked.size() >= 1) {
            out.add(best + sep + ranked.get(0));
        }
        if (ranked.size() >= 2) {
            out.add(best + sep + ranked.get(0) + sep + ranked.get(1));
        }
        return out;
    }

    private static String separator(PromptSpec start) {
        return start.labels().stream()
                        .anyMatch(l -> l.name()
                                .codePoints()
                                .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN))
                ? "，"
                : ", ";
    }

    private Map<String, List<String>> candidates(PromptSpec start, Dataset train, Search search) {
        List<String> names = start.labels().stream().map(Label::name).toList();
        Map<String, List<String>> mined = Map.of();
        if (mine) {
            mined = DistinctiveTerms.find(sample(train.toList()), names, minedTerms);
        }
        Map<String, List<String>> pool = new LinkedHashMap<>();
        for (Label label : start.labels()) {
            List<List<String>> sources = new ArrayList<>();
            sources.add(userWordings.getOrDefault(label.name(), List.of()));
            if (generator != null) {
                sources.add(generate(start, label, search));
            }
            sources.add(minedWordings(mined.getOrDefault(label.name(), List.of()), start));
            LinkedHashSet<String> merged = new LinkedHashSet<>();
            merged.add(label.name());
            for (int i = 0; ; i++) {
                boolean any = false;
                for (List<String> s : sources) {
                    if (i < s.size()) {
                        merged.add(s.get(i).strip());
                        any = true;
                    }
                }
                if (!any) {
                    break;
                }
            }
            merged.remove(label.description());
            merged.removeIf(String::isBlank);
            pool.put(label.name(), List.copyOf(merged));
        }
        return pool;
    }

    /** Mined terms alone and as short lists, which describe a class better than any one term. */
    private static List<String> minedWordings(List<String> terms, PromptSpec start) {
        if (terms.isEmpty()) {
            return List.of();
        }
        String sep = separator(start);
        List<String> out = new ArrayList<>();
        for (int n : new int[] {3, 6, terms.size()}) {
            if (n <= terms.size()) {
                out.add(String.join(sep, terms.subList(0, n)));
            }
        }
        out.addAll(terms.subList(0, Math.min(5, terms.size())));
        return out;
    }

    private List<TextRecord> sample(List<TextRecord> train) {
        if (train.size() <= miningSample) {
            return train;
        }
        List<TextRecord> copy = new ArrayList<>(train);
        Collections.shuffle(copy, new Random(seed));
        return copy.subList(0, miningSample);
    }

    private List<String> generate(PromptSpec start, Label label, Search search) {
        if (!search.mayGenerate()) {
            return List.of();
        }
        boolean zh =
                label.name().codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
        String task = start.instruction() == null ? "" : start.instruction().source();
        String others = String.join(
                zh ? "、" : ", ",
                start.labels().stream()
                        .map(Label::name)
                        .filter(n -> !n.equals(label.name()))
                        .toList());
        String prompt = zh
                ? "任务：" + task + "\n请为类别“" + label.name() + "”（区别于：" + others + "）写出" + generatedPerLabel
                        + "个简短的描述，用来判断一段文本是否属于这个类别。每行一个描述，不要编号，不要解释。"
                : "Task: " + task + "\nWrite " + generatedPerLabel + " short descriptions of the class \""
                        + label.name() + "\" (as opposed to: " + others
                        + ") that help decide whether a text belongs to "
                        + "it. One per line, no numbering, no explanation.";
        try {
            String answer = generator.generate(prompt, search.generationMeter());
            return Proposals.lines(answer, generatedPerLabel);
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}: generating wordings for '{}' failed, going on without them: {}",
                    NAME,
                    label.name(),
                    e.toString());
            return List.of();
        }
    }

    private static List<Label> replace(List<Label> labels, int index, String wording) {
        List<Label> out = new ArrayList<>(labels);
        out.set(index, Label.of(labels.get(index).name(), wording));
        return out;
    }

    /** Builds a {@link LabelWordingSearch}. Only the model is required. */
    public static final class Builder extends ScoringBuilder<Builder> {
        Builder() {
            super(32);
        }

        private long seed = 42;
        private final Map<String, List<String>> wordings = new LinkedHashMap<>();
        private boolean mine = true;
        private int minedTerms = 8;
        private int miningSample = 5000;
        private TextGenerator generator;
        private int generatedPerLabel = 5;
        private int rounds = 2;

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Candidate wordings for one label, tried first. */
        public Builder wordings(String label, List<String> candidates) {
            Objects.requireNonNull(label, "label");
            for (String c : candidates) {
                if (c == null || c.isBlank()) {
                    throw new IllegalArgumentException("wordings for '" + label + "': a wording is blank");
                }
            }
            wordings.put(label, List.copyOf(candidates));
            return this;
        }

        /** Whether to mine distinguishing terms from the training data; default true. */
        public Builder mineTrainingData(boolean mine) {
            this.mine = mine;
            return this;
        }

        /** Terms mined per label; default 8. */
        public Builder minedTerms(int n) {
            this.minedTerms = Knobs.atLeast("minedTerms", n, 1);
            return this;
        }

        /** Training records read for mining at most (a seeded sample); default 5000. */
        public Builder miningSample(int n) {
            this.miningSample = Knobs.atLeast("miningSample", n, 10);
            return this;
        }

        /** A generative model that proposes wordings; none by default. */
        public Builder generator(TextGenerator generator) {
            this.generator = generator;
            return this;
        }

        public Builder generatedPerLabel(int n) {
            this.generatedPerLabel = Knobs.atLeast("generatedPerLabel", n, 1);
            return this;
        }

        /** Coordinate-ascent passes over the labels at most; default 2. */
        public Builder rounds(int n) {
            this.rounds = Knobs.atLeast("rounds", n, 1);
            return this;
        }

        public LabelWordingSearch build() {
            return new LabelWordingSearch(this);
        }
    }
}
