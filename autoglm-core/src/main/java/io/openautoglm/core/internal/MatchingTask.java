package io.openautoglm.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.Evaluator;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.OutputParseException;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Prf;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TextRecord;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Semantic matching of text pairs: a yes/no answer (or a score) per pair. */
public final class MatchingTask implements Task {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NO =
            List.of("不是", "不相同", "不同", "不一致", "不匹配", "否", "不", "no", "false", "0", "different", "mismatch");
    /** Negation inside a clause: Chinese markers anywhere, English ones as words. */
    private static final java.util.regex.Pattern NEGATION =
            java.util.regex.Pattern.compile("不同|不一样|不相同|不是|不一致|不匹配|\\b(not|different|mismatch)\\b|n't\\b");

    private static final List<String> YES = List.of("是", "相同", "一致", "匹配", "相似", "yes", "true", "1", "same", "match");

    private final TaskSpec spec;
    private final Prompts prompts;

    public MatchingTask(TaskSpec spec) {
        this.spec = spec;
        this.prompts = new Prompts(spec, "Do these two texts mean the same?\nText 1: {text}\nText 2: {text_b}");
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
        if (record.textB() == null || record.textB().isBlank()) {
            return Optional.of("empty second text: a matching record needs a pair of texts");
        }
        if (record.label() != null && record.goldMatch() == null) {
            return Optional.of("gold label '" + record.label() + "' is not a match label (1/0, true/false, yes/no)");
        }
        return Optional.empty();
    }

    @Override
    public String renderPrompt(TextRecord record) {
        String body = prompts.body(record);
        if (prompts.template().isChinese()) {
            return body + "\n只回答“是”或“否”。";
        }
        return body + "\nAnswer only \"yes\" or \"no\".";
    }

    @Override
    public Prediction parse(String output, TextRecord record) {
        if (output == null || output.isBlank()) {
            throw new OutputParseException("empty answer, expected yes or no", output);
        }
        String t = Prompts.stripCodeFence(output);
        if (t.startsWith("{")) {
            JsonNode node = null;
            try {
                node = JSON.readTree(t);
            } catch (Exception notJson) {
                // not JSON after all: read as words below
            }
            if (node != null && node.isObject()) {
                // a JSON answer is read as JSON only: its text read as words would start with a key such as
                // "match" or "same" and always say yes
                return fromJson(node, output);
            }
        }
        Double probability = probability(t);
        if (probability != null) {
            return new Prediction.Match(probability >= 0.5, probability);
        }
        Boolean m = word(t);
        if (m == null) {
            throw new OutputParseException("answer is neither yes nor no", output);
        }
        return new Prediction.Match(m, m ? 1 : 0);
    }

    private static Prediction fromJson(JsonNode node, String output) {
        double score = node.path("score").asDouble(Double.NaN);
        boolean probability = score >= 0 && score <= 1; // a score outside [0, 1] is no probability: left out
        JsonNode match = null;
        for (String key : List.of("match", "answer", "matched", "is_match")) {
            if (node.hasNonNull(key)) {
                match = node.get(key);
                break;
            }
        }
        if (match != null) {
            Boolean m = match.isBoolean() ? Boolean.valueOf(match.asBoolean()) : word(match.asText());
            if (m != null) {
                return new Prediction.Match(m, probability ? score : (m ? 1 : 0));
            }
        } else if (probability) {
            return new Prediction.Match(score >= 0.5, score);
        }
        throw new OutputParseException(
                "JSON answer has no readable match (true/false, yes/no) or score in [0, 1]", output);
    }

    /** A bare number in [0, 1] other than 0 and 1 themselves (which read as no and yes): a probability. */
    private static Double probability(String answer) {
        String a = answer.strip().replaceAll("[。.!！\\s]+$", "");
        if (!a.matches("0?\\.\\d+")) {
            return null;
        }
        return Double.parseDouble(a);
    }

    /**
     * Yes or no by the answer's first word, except that a yes whose first clause negates itself ("是不同的",
     * "same topic but not the same question") is a no.
     */
    private static Boolean word(String answer) {
        String a = answer.strip().toLowerCase(Locale.ROOT).replaceAll("^[\\p{P}\\s]+", "");
        for (String no : NO) {
            if (a.startsWith(no)) {
                return Boolean.FALSE;
            }
        }
        for (String yes : YES) {
            if (a.startsWith(yes)) {
                String clause = a.split("[，,。.;；!！?？\\n]", 2)[0];
                return !NEGATION.matcher(clause).find();
            }
        }
        return null;
    }

    @Override
    public Evaluator newEvaluator() {
        return new Evaluator() {
            private long tp;
            private long fp;
            private long fn;
            private long tn;

            @Override
            public void add(TextRecord gold, Prediction prediction) {
                Boolean g = gold.goldMatch();
                if (g == null) {
                    return;
                }
                boolean p = ((Prediction.Match) prediction).matched();
                if (g && p) {
                    tp++;
                } else if (g) {
                    fn++;
                } else if (p) {
                    fp++;
                } else {
                    tn++;
                }
            }

            @Override
            public Metrics metrics() {
                long n = tp + fp + fn + tn;
                return new Metrics.MatchingMetrics(n, n == 0 ? 0 : (double) (tp + tn) / n, Prf.of(tp, fp, fn));
            }
        };
    }
}
