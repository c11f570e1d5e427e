package io.openautoglm.local.internal;

/**
 * The best tag path of a linear-chain CRF over one sequence, in plain Java: decoding needs no gradient, the sizes are
 * small, and a served NER model then needs no PyTorch. The trainer's CRF decodes with the same code.
 */
public final class Viterbi {
    private Viterbi() {}

    /**
     * The highest-scoring tag path over {@code n} tokens.
     *
     * @param emissions   tag scores, row-major {@code [token][tag]}, this sequence's first token at {@code offset}
     * @param transitions {@code [from][to]}, row-major
     * @param start       the score of a path starting with each tag
     * @param end         the score of a path ending with each tag
     */
    public static int[] decode(float[] emissions, int offset, int n, float[] transitions, float[] start, float[] end) {
        int tags = start.length;
        if (n == 0) {
            return new int[0];
        }
        float[] score = new float[tags];
        for (int j = 0; j < tags; j++) {
            score[j] = start[j] + emissions[offset + j];
        }
        int[][] from = new int[n][tags];
        for (int i = 1; i < n; i++) {
            float[] next = new float[tags];
            for (int j = 0; j < tags; j++) {
                int best = 0;
                for (int k = 1; k < tags; k++) {
                    if (score[k] + transitions[k * tags + j] > score[best] + transitions[best * tags + j]) {
                        best = k;
                    }
                }
                from[i][j] = best;
                next[j] = score[best] + transitions[best * tags + j] + emissions[offset + i * tags + j];
            }
            score = next;
        }
        int tag = 0;
        for (int j = 1; j < tags; j++) {
            if (score[j] + end[j] > score[tag] + end[tag]) {
                tag = j;
            }
        }
        int[] path = new int[n];
        for (int i = n - 1; i >= 0; i--) {
            path[i] = tag;
            tag = from[i][tag];
        }
        return path;
    }
}
