package io.openautoglm.cuda.internal;

import io.openautoglm.cuda.Conv2dSpec;

/** The plain double-precision definition of relu(conv + bias), for tests and checks. Thread-safe. */
public final class ReferenceConv {
    private ReferenceConv() {}

    /**
     * @return the exact-as-double output {@code [N][K][P][Q]}
     */
    public static double[] compute(Conv2dSpec s, float[] x, float[] w, float[] b) {
        return compute(s, x, w, b, null);
    }

    /**
     * @param absSum when not null, receives {@code |b| + sum |x * w|} per output element: the scale of
     *     the rounding error a float32 evaluation may make
     * @return the exact-as-double output {@code [N][K][P][Q]}
     */
    public static double[] compute(Conv2dSpec s, float[] x, float[] w, float[] b, double[] absSum) {
        int p = s.outHeight();
        int q = s.outWidth();
        double[] out = new double[s.outputLength()];
        for (int n = 0; n < s.batch(); n++) {
            for (int k = 0; k < s.outChannels(); k++) {
                for (int oh = 0; oh < p; oh++) {
                    for (int ow = 0; ow < q; ow++) {
                        double sum = b[k];
                        double abs = Math.abs((double) b[k]);
                        for (int c = 0; c < s.inChannels(); c++) {
                            for (int r = 0; r < s.kernelHeight(); r++) {
                                int ih = oh * s.strideHeight() - s.padHeight() + r * s.dilationHeight();
                                if (ih < 0 || ih >= s.height()) {
                                    continue;
                                }
                                for (int t = 0; t < s.kernelWidth(); t++) {
                                    int iw = ow * s.strideWidth() - s.padWidth() + t * s.dilationWidth();
                                    if (iw < 0 || iw >= s.width()) {
                                        continue;
                                    }
                                    double prod = (double) x[
                                                    ((n * s.inChannels() + c) * s.height() + ih) * s.width() + iw]
                                            * w[
                                                    ((k * s.inChannels() + c) * s.kernelHeight() + r) * s.kernelWidth()
                                                            + t];
                                    sum += prod;
                                    abs += Math.abs(prod);
                                }
                            }
                        }
                        int idx = ((n * s.outChannels() + k) * p + oh) * q + ow;
                        out[idx] = sum > 0 || Double.isNaN(sum) ? sum : 0.0;
                        if (absSum != null) {
                            absSum[idx] = abs;
                        }
                    }
                }
            }
        }
        return out;
    }
}
