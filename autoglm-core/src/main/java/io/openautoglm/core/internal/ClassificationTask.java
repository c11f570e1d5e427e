package io.openautoglm.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.Evaluator;
import io.openautoglm.core.Label;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.OutputParseException;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Prf;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TextRecord;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Text classification: labels constrained in the prompt, answers matched exactly, then loosely. */
public final class ClassificationTask implements Task {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TaskSpec spec;
    private final List<String> names;
    private final List<String> normalisedNames;
    private final Prompts prompts;

    public ClassificationTask(TaskSpec spec) {
        this.spec = spec;
        this.names = spec.labelNames();
        this.normalisedNames = names.stream().map(ClassificationTask::squash).toList();
        this.prompts = new Prompts(spec, "Classify the text: {text}");
    }

    @Override
    public TaskSpec spec() {
        return spec;
    }

    @Override
    public Optional<String> validate(TextRecord record) {
        if (record.text() == null || record.text().isBlank()) {
            return Optional.of("empty text");
        }
        if (record.label() != null && !names.contains(record.label())) {
            return Optional.of("gold label '" + record.label() + "' is not one of the labels " + names);
        }
        return Optional.empty();
    }

    @Override
    public String renderPrompt(TextRecord record) {
        String labelList = String.join(", ", names);
        StringBuilder described = new StringBuilder();
        for (Label l : spec.labels()) {
            if (!l.description().equals(l.name())) {
                described.append("\n- ").append(l.name()).append(": ").append(l.description());
            }
        }
        String body = prompts.body(record);
        if (prompts.template().isChinese()) {
            return body + described + "\n只回答以下标签之一，不要解释：" + String.join("、", names);
        }
        return body + described + "\nAnswer with exactly one of these labels and nothing else: " + labelList;
    }

    @Override
    public Prediction parse(String output, TextRecord record) {
        if (output == null || output.isBlank()) {
            throw new OutputParseException("empty answer, expected one of " + names, output);
        }
        String answer = withoutPrefix(fromJson(output.strip()));
        // exact first, before any punctuation is cut: labels may end in it (C++, C#, A-)
        for (String candidate : List.of(answer, unquote(answer))) {
            int exact = names.indexOf(candidate);
            if (exact >= 0) {
                return new Prediction.Classification(names.get(exact), 1.0, Map.of());
            }
        }
        String trimmed = stripDecoration(answer);
        int exact = names.indexOf(trimmed);
        if (exact >= 0) {
            return new Prediction.Classification(names.get(exact), 1.0, Map.of());
        }
        String squashed = squash(trimmed);
        // only when one label has this form: C#, C++ and C all squash to "c", and picking the first would be a guess
        int normalised = normalisedNames.indexOf(squashed);
        if (normalised >= 0 && normalised == normalisedNames.lastIndexOf(squashed)) {
            return new Prediction.Classification(names.get(normalised), 1.0, Map.of());
        }
        Integer contained = uniqueContained(squashed);
        if (contained != null) {
            if (negates(trimmed, names.get(contained))) {
                throw new OutputParseException(
                        "answer negates the label '" + names.get(contained) + "' instead of " + "naming one of "
                                + names,
                        output);
            }
            return new Prediction.Classification(names.get(contained), 0.9, Map.of());
        }
        if (startsWithNegation(trimmed)) {
            // "not positiv": the closest label would be the one the answer rules out
            throw new OutputParseException("answer is a negation, not one of the labels " + names, output);
        }
        Integer fuzzy = uniqueClosest(squashed);
        if (fuzzy != null) {
            return new Prediction.Classification(names.get(fuzzy), 0.6, Map.of());
        }
        throw new OutputParseException("answer matches none of the labels " + names, output);
    }

    @Override
    public Evaluator newEvaluator() {
        return new ClassificationEvaluator(names);
    }

    /** Reads {"label": "..."} when the model answered in JSON; otherwise the text as it is. */
    private static String fromJson(String s) {
        String t = Prompts.stripCodeFence(s);
        if (t.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(t);
                for (String key : List.of("label", "answer", "category", "标签", "类别")) {
                    if (node.hasNonNull(key)) {
                        return node.get(key).asText();
                    }
                }
            } catch (Exception notJson) {
                return t;
            }
        }
        return t;
    }

    /** The answer without a leading "答案：" / "Answer:" and the like. */
    private static String withoutPrefix(String s) {
        String t = s.strip();
        for (String prefix : List.of("答案", "标签", "类别", "情感", "Answer", "answer", "Label", "label")) {
            if (t.startsWith(prefix)) {
                String rest = t.substring(prefix.length()).stripLeading();
                if (rest.startsWith(":") || rest.startsWith("：") || rest.startsWith("是")) {
                    t = rest.substring(1).strip();
                }
            }
        }
        return t;
    }

    /** Without surrounding quotes and brackets and a sentence's final stop, but keeping + # - and the like. */
    private static String unquote(String s) {
        return s.replaceAll("^[\\s「『“‘\"'(（\\[【]+|[\\s」』”’\"')）\\]】。．.!！?？,，;；:：]+$", "");
    }

    private static String stripDecoration(String s) {
        String t = withoutPrefix(s);
        return t.replaceAll("^[\\p{Punct}\\p{Ps}\\p{Pi}「『“‘\"'\\s]+|[\\p{Punct}\\p{Pe}\\p{Pf}」』”’\"'。！\\s]+$", "");
    }

    /** NFKC, lower case, no white space or punctuation: the form two wordings are compared in. */
    static String squash(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC)
                .toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[\\s\\p{P}\\p{S}]+", "");
    }

    /** The one label whose name occurs in the answer; when names nest, the longest wins. */
    private Integer uniqueContained(String answer) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < normalisedNames.size(); i++) {
            if (!normalisedNames.get(i).isEmpty() && answer.contains(normalisedNames.get(i))) {
                found.add(i);
            }
        }
        found.removeIf(i -> found.stream()
                .anyMatch(j -> !j.equals(i)
                        && normalisedNames.get(j).length()
                                > normalisedNames.get(i).length()
                        && normalisedNames.get(j).contains(normalisedNames.get(i))));
        return found.size() == 1 ? found.get(0) : null;
    }

    /** A negation word at the end of a text: what would turn the label after it into its opposite. */
    private static final java.util.regex.Pattern NEGATION_AT_END =
            java.util.regex.Pattern.compile("(不是|并非|没有|不|非|无|\\bnot|\\bno|n't)\\s*$");

    /** Whether the answer says "not LABEL": the label right after a negation (不是负面, not positive). */
    private static boolean negates(String answer, String label) {
        String a = answer.toLowerCase(java.util.Locale.ROOT);
        String l = label.toLowerCase(java.util.Locale.ROOT);
        for (int at = a.indexOf(l); at >= 0; at = a.indexOf(l, at + 1)) {
            java.util.regex.Matcher m = NEGATION_AT_END.matcher(a.substring(0, at));
            // "no no" with a label no: the word before is the label said twice, not a negation of it
            if (m.find() && !m.group(1).equals(l)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the answer opens with a negation that no label itself opens with (as 不满意 does). */
    private boolean startsWithNegation(String answer) {
        java.util.regex.Matcher m = NEGATION_AT_START.matcher(answer.toLowerCase(java.util.Locale.ROOT));
        if (!m.find()) {
            return false;
        }
        return names.stream()
                .noneMatch(n -> n.toLowerCase(java.util.Locale.ROOT).startsWith(m.group(1)));
    }

    private static final java.util.regex.Pattern NEGATION_AT_START =
            java.util.regex.Pattern.compile("^(不是|并非|没有|不|非|无|not\\b|no\\b)");

    /** The one label within a small edit distance of a short answer, if there is exactly one closest. */
    private Integer uniqueClosest(String answer) {
        if (answer.isEmpty() || answer.length() > 40) {
            return null;
        }
        int best = -1;
        int bestDistance = Integer.MAX_VALUE;
        boolean tie = false;
        for (int i = 0; i < normalisedNames.size(); i++) {
            String name = normalisedNames.get(i);
            int d = editDistance(answer, name);
            if (d < bestDistance) {
                best = i;
                bestDistance = d;
                tie = false;
            } else if (d == bestDistance) {
                tie = true;
            }
        }
        int allowed = Math.max(1, normalisedNames.get(best).length() / 4);
        return !tie && bestDistance <= allowed ? best : null;
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Confusion counts over the spec's labels. */
    static final class ClassificationEvaluator implements Evaluator {
        private final List<String> labels;
        private final long[][] confusion;
        private long n;
        private long correct;

        ClassificationEvaluator(List<String> labels) {
            this.labels = labels;
            this.confusion = new long[labels.size()][labels.size()];
        }

        @Override
        public void add(TextRecord gold, Prediction prediction) {
            if (gold.label() == null) {
                return;
            }
            int g = labels.indexOf(gold.label());
            int p = labels.indexOf(((Prediction.Classification) prediction).label());
            if (g < 0 || p < 0) {
                throw new IllegalArgumentException("label outside the label set " + labels + ": gold '" + gold.label()
                        + "', predicted '" + ((Prediction.Classification) prediction).label() + "'");
            }
            confusion[g][p]++;
            n++;
            if (g == p) {
                correct++;
            }
        }

        @Override
        public Metrics metrics() {
            Map<String, Prf> per = new LinkedHashMap<>();
            double f1Sum = 0;
            int present = 0;
            for (int i = 0; i < labels.size(); i++) {
                long tp = confusion[i][i];
                long fp = 0;
                long fn = 0;
                for (int j = 0; j < labels.size(); j++) {
                    if (j != i) {
                        fp += confusion[j][i];
                        fn += confusion[i][j];
                    }
                }
                Prf prf = Prf.of(tp, fp, fn);
                per.put(labels.get(i), prf);
                // a label neither in the gold set nor predicted has no F1 to speak of: averaging it in as 0 would
                // mark perfect predictions down for a class the data lacks (scikit-learn's convention)
                if (tp + fp + fn > 0) {
                    f1Sum += prf.f1();
                    present++;
                }
            }
            long[][] copy = new long[labels.size()][];
            for (int i = 0; i < labels.size(); i++) {
                copy[i] = confusion[i].clone();
            }
            return new Metrics.ClassificationMetrics(
                    n, n == 0 ? 0 : (double) correct / n, present == 0 ? 0 : f1Sum / present, per, labels, copy);
        }
    }
}
