package io.openautoglm.prompt;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.TextRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small synthetic hotel reviews and question pairs with fixed seeds. */
final class TestData {
    static final String[] POSITIVE = {"great", "clean", "friendly", "quiet", "comfortable", "spacious"};
    static final String[] NEGATIVE = {"dirty", "rude", "noisy", "broken", "smelly", "cramped"};
    static final String[] FILLER = {
        "hotel", "room", "staff", "breakfast", "bed", "location", "the", "was", "and", "very", "our", "stay"
    };

    private TestData() {}

    /** Reviews, about 60% positive; each has two or three filler words and one or two sentiment words. */
    static Dataset reviews(String name, int n, long seed) {
        Random r = new Random(seed);
        List<TextRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean positive = r.nextDouble() < 0.6;
            String[] vocab = positive ? POSITIVE : NEGATIVE;
            StringBuilder sb = new StringBuilder();
            int filler = 2 + r.nextInt(2);
            for (int f = 0; f < filler; f++) {
                sb.append(FILLER[r.nextInt(FILLER.length)]).append(' ');
            }
            int sentiment = 1 + r.nextInt(2);
            for (int s = 0; s < sentiment; s++) {
                sb.append(vocab[r.nextInt(vocab.length)]).append(' ');
            }
            out.add(TextRecord.of(sb.toString().strip(), positive ? "positive" : "negative"));
        }
        return Dataset.of(name, out);
    }

    /** Question pairs: matching pairs share most words, others share few. */
    static Dataset pairs(String name, int n, long seed) {
        Random r = new Random(seed);
        String[] vocab = {
            "how",
            "to",
            "repay",
            "loan",
            "credit",
            "limit",
            "raise",
            "account",
            "close",
            "open",
            "card",
            "bind",
            "bank",
            "fee",
            "interest",
            "early",
            "why",
            "cannot",
            "use",
            "huabei"
        };
        List<TextRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> a = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                a.add(vocab[r.nextInt(vocab.length)]);
            }
            boolean match = r.nextDouble() < 0.35;
            List<String> b = new ArrayList<>(a);
            int changes = match ? r.nextInt(3) : 2 + r.nextInt(4);
            for (int c = 0; c < changes; c++) {
                b.set(r.nextInt(b.size()), vocab[r.nextInt(vocab.length)]);
            }
            out.add(TextRecord.pair(String.join(" ", a), String.join(" ", b), match ? "1" : "0"));
        }
        return Dataset.of(name, out);
    }
}
