package io.openautoglm.local.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.openautoglm.core.TextNormalizer;
import java.util.Arrays;

/**
 * One text, tokenized: the token ids for the encoder and, per token, the characters of the text as given that it
 * covers ({@code start} inclusive, {@code end} exclusive, Java {@code String} indices), or none for special tokens
 * ({@code [CLS]}, {@code [SEP]}, padding).
 *
 * <p>{@link #encode} folds the text before tokenizing, one code point at a time: NFKC with full-width punctuation
 * kept (as {@link TextNormalizer#defaults()} does), then lower-case. The model then sees the same tokens whether or
 * not the pipeline normalised the text first (NER records keep their raw text when they carry gold offsets, while
 * texts to predict are normalised), and full-width letters such as {@code ＡＢＣ} or capitals such as {@code iPhone}
 * are no longer {@code [UNK]}: bge-small-zh's vocabulary has neither, and its tokenizer.json does not lower-case.
 * Folding one code point at a time is what lets every token map back to the original characters.
 */
public final class TokenOffsets {
    private static final TextNormalizer FOLD = TextNormalizer.builder()
            .htmlEntities(false)
            .controlCharacters(false)
            .collapseWhitespace(false)
            .trim(false)
            .lowercase(true)
            .build();

    private final long[] ids;
    private final int[] starts;
    private final int[] ends;
    private final boolean truncated;

    /** Offsets as given; a start of -1 marks a special token. */
    public TokenOffsets(long[] ids, int[] starts, int[] ends) {
        this(ids, starts, ends, false);
    }

    private TokenOffsets(long[] ids, int[] starts, int[] ends, boolean truncated) {
        if (ids.length != starts.length || ids.length != ends.length) {
            throw new IllegalArgumentException(
                    "ids, starts and ends differ in length: " + ids.length + ", " + starts.length + ", " + ends.length);
        }
        this.ids = ids.clone();
        this.starts = starts.clone();
        this.ends = ends.clone();
        this.truncated = truncated;
    }

    /**
     * Folds and tokenizes {@code text}. The tokenizer should add special tokens and truncate; tokens past the
     * truncation simply have no offsets here, so entities there get no tags.
     */
    public static TokenOffsets encode(HuggingFaceTokenizer tokenizer, String text) {
        Folded folded = new Folded(text);
        Encoding encoding = tokenizer.encode(folded.text);
        CharSpan[] spans = encoding.getCharTokenSpans();
        int[] starts = new int[spans.length];
        int[] ends = new int[spans.length];
        for (int t = 0; t < spans.length; t++) {
            CharSpan span = spans[t];
            boolean special = span == null || span.getEnd() <= span.getStart();
            // the tokenizer counts code points of the folded text; map them to the original UTF-16 indices
            starts[t] = special ? -1 : folded.from[span.getStart()];
            ends[t] = special ? -1 : folded.to[span.getEnd() - 1];
        }
        return new TokenOffsets(encoding.getIds(), starts, ends, encoding.exceedMaxLength());
    }

    /** The text as the tokenizer sees it. */
    static String fold(String text) {
        return new Folded(text).text;
    }

    /** The number of tokens, special ones included. */
    public int size() {
        return ids.length;
    }

    /** The token ids, special tokens included, for the encoder. */
    public long[] ids() {
        return ids.clone();
    }

    /** Whether the tokenizer cut the text at its maximum length: the tokens cover only its beginning. */
    public boolean truncated() {
        return truncated;
    }

    /** Whether the token is a special token, covering no text. */
    public boolean isSpecial(int token) {
        return starts[token] < 0;
    }

    /** The token's first character in the original text; -1 for a special token. */
    public int start(int token) {
        return starts[token];
    }

    /** The index after the token's last character in the original text; -1 for a special token. */
    public int end(int token) {
        return ends[token];
    }

    @Override
    public String toString() {
        return "TokenOffsets" + Arrays.toString(ids) + Arrays.toString(starts) + Arrays.toString(ends);
    }

    /** The folded text, and for each of its code points the original characters it came from. */
    private static final class Folded {
        final String text;
        final int[] from;
        final int[] to;

        Folded(String original) {
            StringBuilder sb = new StringBuilder(original.length());
            int[] from = new int[original.length() + 16];
            int[] to = new int[from.length];
            int n = 0;
            for (int i = 0; i < original.length(); ) {
                int next = i + Character.charCount(original.codePointAt(i));
                String f = FOLD.normalize(original.substring(i, next));
                for (int k = 0; k < f.codePointCount(0, f.length()); k++) {
                    if (n == from.length) {
                        from = Arrays.copyOf(from, 2 * n);
                        to = Arrays.copyOf(to, 2 * n);
                    }
                    from[n] = i;
                    to[n] = next;
                    n++;
                }
                sb.append(f);
                i = next;
            }
            this.text = sb.toString();
            this.from = Arrays.copyOf(from, n);
            this.to = Arrays.copyOf(to, n);
        }
    }
}
