package io.openautoglm.gnn.internal;

import java.util.Arrays;

/**
 * Parses one node's sparse features written as space-separated {@code index:value} pairs with 0-based,
 * increasing indices (a line of {@code features.txt}, or a sparse feature column); an empty text is an
 * all-zero row. Stateless.
 */
public final class SparseFeatures {
    private SparseFeatures() {}

    /** One parsed row. */
    public record Row(int[] indices, float[] values, int maxIndex) {}

    /**
     * @param declared the feature count, or -1 when unknown; an index at or beyond it is an error
     * @throws IllegalArgumentException with what was wrong (the caller adds file and line)
     */
    public static Row parse(String line, int declared) {
        int[] col = new int[8];
        float[] val = new float[8];
        int nnz = 0;
        int prev = -1;
        int pos = 0;
        int len = line.length();
        while (pos < len) {
            while (pos < len && Character.isWhitespace(line.charAt(pos))) {
                pos++;
            }
            if (pos >= len) {
                break;
            }
            int end = pos;
            while (end < len && !Character.isWhitespace(line.charAt(end))) {
                end++;
            }
            int colon = line.indexOf(':', pos);
            String token = line.substring(pos, end);
            if (colon < 0 || colon >= end) {
                throw new IllegalArgumentException("token '" + token + "' is not index:value");
            }
            int j;
            float v;
            try {
                j = Integer.parseInt(line, pos, colon, 10);
                v = Float.parseFloat(line.substring(colon + 1, end));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("token '" + token + "' is not index:value");
            }
            if (j < 0 || (declared > 0 && j >= declared)) {
                throw new IllegalArgumentException(
                        "feature index " + j + " out of range [0, " + (declared > 0 ? declared : "∞") + ")");
            }
            if (j <= prev) {
                throw new IllegalArgumentException("feature indices must increase; saw " + prev + " then " + j);
            }
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(
                        "feature value '" + line.substring(colon + 1, end) + "' is not finite");
            }
            prev = j;
            if (nnz == col.length) {
                col = Arrays.copyOf(col, nnz * 2);
                val = Arrays.copyOf(val, nnz * 2);
            }
            col[nnz] = j;
            val[nnz] = v;
            nnz++;
            pos = end;
        }
        return new Row(Arrays.copyOf(col, nnz), Arrays.copyOf(val, nnz), prev);
    }
}
