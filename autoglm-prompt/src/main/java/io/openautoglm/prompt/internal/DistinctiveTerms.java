package io.openautoglm.prompt.internal;

import io.openautoglm.core.TextRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the terms that tell one class from the others in labelled text: a z-scored log-odds ratio of
 * document frequencies with a small prior (Monroe, Colaresi and Quinn 2008, "Fightin' words"), which
 * favours terms that are both frequent and lopsided. Chinese text has no spaces, so its terms are
 * character 2- to 4-grams within runs of letters; other text uses lower-cased words and word pairs.
 */
public final class DistinctiveTerms {
    private static final double PRIOR = 0.5;

    private DistinctiveTerms() {}

    /**
     * The most distinctive terms of each label, best first, with terms that contain, are contained in or
     * overlap a better one dropped so that the list is varied.
     *
     * @param records labelled records (others are ignored)
     * @param labels  the label names, in order
     * @param limit   terms per label at most
     */
    public static Map<String, List<String>> find(List<TextRecord> records, List<String> labels, int limit) {
        Map<String, Map<String, Integer>> df = new HashMap<>();
        Map<String, Integer> docs = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int allDocs = 0;
        for (String l : labels) {
            df.put(l, new HashMap<>());
            docs.put(l, 0);
        }
        for (TextRecord r : records) {
            if (r.label() == null || !df.containsKey(r.label()) || r.text() == null) {
                continue;
            }
            Set<String> terms = terms(r.text());
            Map<String, Integer> counts = df.get(r.label());
            for (String t : terms) {
                counts.merge(t, 1, Integer::sum);
                total.merge(t, 1, Integer::sum);
            }
            docs.merge(r.label(), 1, Integer::sum);
            allDocs++;
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (String label : labels) {
            int nIn = docs.get(label);
            int nOut = allDocs - nIn;
            if (nIn == 0 || nOut == 0) {
                result.put(label, List.of());
                continue;
            }
            int minDf = Math.max(3, nIn / 100);
            Map<String, Integer> in = df.get(label);
            List<Map.Entry<String, Double>> scored = new ArrayList<>();
            for (Map.Entry<String, Integer> e : in.entrySet()) {
                int a = e.getValue();
                if (a < minDf) {
                    continue;
                }
                int b = total.get(e.getKey()) - a;
                double delta = Math.log((a + PRIOR) / (nIn - a + PRIOR)) - Math.log((b + PRIOR) / (nOut - b + PRIOR));
                double z = delta / Math.sqrt(1 / (a + PRIOR) + 1 / (b + PRIOR));
                if (z > 0) {
                    scored.add(Map.entry(e.getKey(), z));
                }
            }
            scored.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()));
            List<String> chosen = new ArrayList<>();
            for (Map.Entry<String, Double> e : scored) {
                String t = e.getKey();
                if (chosen.stream()
                        .noneMatch(c -> c.contains(t) || t.contains(c) || overlaps(c, t) || overlaps(t, c))) {
                    chosen.add(t);
                    if (chosen.size() == limit) {
                        break;
                    }
                }
            }
            result.put(label, List.copyOf(chosen));
        }
        return result;
    }

    /**
     * Whether a ends where b begins ("不错" and "错的", "很方" and "方便"): character n-grams that straddle a
     * better term are usually fragments of it, not words of their own.
     */
    static boolean overlaps(String a, String b) {
        if (!isHan(a) || !isHan(b)) {
            return false;
        }
        for (int k = 1; k < Math.min(a.length(), b.length()); k++) {
            if (a.regionMatches(a.length() - k, b, 0, k)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHan(String s) {
        return s.codePoints().allMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    static Set<String> terms(String text) {
        Set<String> out = new HashSet<>();
        boolean han = text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
        String[] runs = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
        if (han) {
            for (String run : runs) {
                for (int n = 2; n <= 4; n++) {
                    for (int i = 0; i + n <= run.length(); i++) {
                        out.add(run.substring(i, i + n));
                    }
                }
            }
        } else {
            String[] words = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+");
            for (int i = 0; i < words.length; i++) {
                if (words[i].length() > 1) {
                    out.add(words[i]);
                }
                if (i + 1 < words.length && !words[i].isEmpty() && !words[i + 1].isEmpty()) {
                    out.add(words[i] + " " + words[i + 1]);
                }
            }
        }
        return out;
    }
}
