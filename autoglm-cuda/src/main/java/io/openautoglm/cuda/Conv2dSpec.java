package io.openautoglm.cuda;

/**
 * The shape of one 2-D convolution over NCHW float32 tensors: input {@code [batch][inChannels]
 * [height][width]}, weights {@code [outChannels][inChannels][kernelHeight][kernelWidth]}, bias
 * {@code [outChannels]}, output {@code [batch][outChannels][outHeight()][outWidth()]}, all row-major
 * in flat {@code float[]} arrays. Groups are not supported.
 *
 * <pre>{@code
 * Conv2dSpec spec = Conv2dSpec.builder()
 *     .batch(1).inChannels(64).height(56).width(56)
 *     .outChannels(64).kernel(3, 3)
 *     .stride(1).padding(1)           // dilation defaults to 1
 *     .build();
 * int p = spec.outHeight();           // 56
 * }</pre>
 *
 * <p>Immutable and thread-safe. The canonical constructor validates every field and names the field
 * and the bad value in its {@link IllegalArgumentException}.
 *
 * @param batch N, at least 1
 * @param inChannels C, at least 1
 * @param height H, at least 1
 * @param width W, at least 1
 * @param outChannels K, at least 1
 * @param kernelHeight R, at least 1
 * @param kernelWidth S, at least 1
 * @param strideHeight vertical stride, at least 1
 * @param strideWidth horizontal stride, at least 1
 * @param padHeight zero rows added above and below, at least 0
 * @param padWidth zero columns added left and right, at least 0
 * @param dilationHeight vertical spacing of kernel taps, at least 1
 * @param dilationWidth horizontal spacing of kernel taps, at least 1
 */
public record Conv2dSpec(
        int batch,
        int inChannels,
        int height,
        int width,
        int outChannels,
        int kernelHeight,
        int kernelWidth,
        int strideHeight,
        int strideWidth,
        int padHeight,
        int padWidth,
        int dilationHeight,
        int dilationWidth) {

    /** Validates every field; see the class documentation. */
    public Conv2dSpec {
        atLeast("batch", batch, 1);
        atLeast("inChannels", inChannels, 1);
        atLeast("height", height, 1);
        atLeast("width", width, 1);
        atLeast("outChannels", outChannels, 1);
        atLeast("kernelHeight", kernelHeight, 1);
        atLeast("kernelWidth", kernelWidth, 1);
        atLeast("strideHeight", strideHeight, 1);
        atLeast("strideWidth", strideWidth, 1);
        atLeast("padHeight", padHeight, 0);
        atLeast("padWidth", padWidth, 0);
        atLeast("dilationHeight", dilationHeight, 1);
        atLeast("dilationWidth", dilationWidth, 1);
        long outH = outSize(height, kernelHeight, strideHeight, padHeight, dilationHeight);
        long outW = outSize(width, kernelWidth, strideWidth, padWidth, dilationWidth);
        if (outH < 1) {
            throw new IllegalArgumentException("kernelHeight " + kernelHeight + " with dilationHeight "
                    + dilationHeight + " spans " + (dilationHeight * (long) (kernelHeight - 1) + 1)
                    + " rows, more than height " + height + " + 2 * padHeight " + padHeight
                    + ": the output would have no rows; pad more or use a smaller kernel");
        }
        if (outW < 1) {
            throw new IllegalArgumentException("kernelWidth " + kernelWidth + " with dilationWidth "
                    + dilationWidth + " spans " + (dilationWidth * (long) (kernelWidth - 1) + 1)
                    + " columns, more than width " + width + " + 2 * padWidth " + padWidth
                    + ": the output would have no columns; pad more or use a smaller kernel");
        }
        fitsArray("input length batch*inChannels*height*width", (long) batch * inChannels * height * width);
        fitsArray("output length batch*outChannels*outHeight*outWidth", (long) batch * outChannels * outH * outW);
        fitsArray(
                "weight length outChannels*inChannels*kernelHeight*kernelWidth",
                (long) outChannels * inChannels * kernelHeight * kernelWidth);
    }

    /** @return a builder with stride 1, padding 0 and dilation 1 and no other field set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return P, the output height */
    public int outHeight() {
        return (int) outSize(height, kernelHeight, strideHeight, padHeight, dilationHeight);
    }

    /** @return Q, the output width */
    public int outWidth() {
        return (int) outSize(width, kernelWidth, strideWidth, padWidth, dilationWidth);
    }

    /** @return N*C*H*W, the length of an input array */
    public int inputLength() {
        return batch * inChannels * height * width;
    }

    /** @return N*K*P*Q, the length of an output array */
    public int outputLength() {
        return batch * outChannels * outHeight() * outWidth();
    }

    /** @return K*C*R*S, the length of the weight array */
    public int weightLength() {
        return outChannels * inChannels * kernelHeight * kernelWidth;
    }

    /** @return C*R*S, the number of multiply-adds behind each output element */
    public int reductionLength() {
        return inChannels * kernelHeight * kernelWidth;
    }

    /** @return floating-point operations of the convolution: 2*N*K*P*Q*C*R*S (bias and ReLU not counted) */
    public double flops() {
        return 2.0 * outputLength() * reductionLength();
    }

    /** @return a short form such as {@code N1 C64 56x56 -> K64 3x3 s1 p1 d1} for logs and reports */
    @Override
    public String toString() {
        return "N" + batch + " C" + inChannels + " " + height + "x" + width + " -> K" + outChannels + " "
                + kernelHeight + "x" + kernelWidth + " s" + pair(strideHeight, strideWidth) + " p"
                + pair(padHeight, padWidth) + " d" + pair(dilationHeight, dilationWidth);
    }

    private static String pair(int h, int w) {
        return h == w ? Integer.toString(h) : h + "x" + w;
    }

    private static long outSize(int in, int k, int stride, int pad, int dil) {
        long span = (long) dil * (k - 1) + 1;
        long room = (long) in + 2L * pad - span;
        return room < 0 ? 0 : room / stride + 1;
    }

    private static void atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " but was " + value);
        }
    }

    private static void fitsArray(String what, long value) {
        if (value > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    what + " is " + value + ", more than a Java array holds; split the batch");
        }
    }

    /**
     * Builds a {@link Conv2dSpec}. Not thread-safe; {@link #build()} validates.
     */
    public static final class Builder {
        private int batch;
        private int inChannels;
        private int height;
        private int width;
        private int outChannels;
        private int kernelHeight;
        private int kernelWidth;
        private int strideHeight = 1;
        private int strideWidth = 1;
        private int padHeight;
        private int padWidth;
        private int dilationHeight = 1;
        private int dilationWidth = 1;

        private Builder() {}

        /** @param batch N @return this */
        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        /** @param inChannels C @return this */
        public Builder inChannels(int inChannels) {
            this.inChannels = inChannels;
            return this;
        }

        /** @param height H @return this */
        public Builder height(int height) {
            this.height = height;
            return this;
        }

        /** @param width W @return this */
        public Builder width(int width) {
            this.width = width;
            return this;
        }

        /** @param outChannels K @return this */
        public Builder outChannels(int outChannels) {
            this.outChannels = outChannels;
            return this;
        }

        /** @param kernelHeight R @param kernelWidth S @return this */
        public Builder kernel(int kernelHeight, int kernelWidth) {
            this.kernelHeight = kernelHeight;
            this.kernelWidth = kernelWidth;
            return this;
        }

        /** @param stride both strides @return this */
        public Builder stride(int stride) {
            return stride(stride, stride);
        }

        /** @param strideHeight vertical @param strideWidth horizontal @return this */
        public Builder stride(int strideHeight, int strideWidth) {
            this.strideHeight = strideHeight;
            this.strideWidth = strideWidth;
            return this;
        }

        /** @param padding both paddings @return this */
        public Builder padding(int padding) {
            return padding(padding, padding);
        }

        /** @param padHeight vertical @param padWidth horizontal @return this */
        public Builder padding(int padHeight, int padWidth) {
            this.padHeight = padHeight;
            this.padWidth = padWidth;
            return this;
        }

        /** @param dilation both dilations @return this */
        public Builder dilation(int dilation) {
            return dilation(dilation, dilation);
        }

        /** @param dilationHeight vertical @param dilationWidth horizontal @return this */
        public Builder dilation(int dilationHeight, int dilationWidth) {
            this.dilationHeight = dilationHeight;
            this.dilationWidth = dilationWidth;
            return this;
        }

        /**
         * @return the validated spec
         * @throws IllegalArgumentException naming the first bad field and its value
         */
        public Conv2dSpec build() {
            return new Conv2dSpec(
                    batch,
                    inChannels,
                    height,
                    width,
                    outChannels,
                    kernelHeight,
                    kernelWidth,
                    strideHeight,
                    strideWidth,
                    padHeight,
                    padWidth,
                    dilationHeight,
                    dilationWidth);
        }
    }
}
