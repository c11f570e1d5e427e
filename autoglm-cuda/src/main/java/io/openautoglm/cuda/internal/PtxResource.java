package io.openautoglm.cuda.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The committed PTX module, read from the classpath. */
public final class PtxResource {
    /** Classpath location, beside this class. */
    public static final String NAME = "conv2d_bias_relu.ptx";

    private static final String SHA_PREFIX = "// source-sha256: ";

    private PtxResource() {}

    /** @return the PTX text */
    public static String text() {
        return new String(bytes(), StandardCharsets.US_ASCII);
    }

    /** @return the PTX, NUL-terminated as {@code cuModuleLoadData} and the PTX assembler expect */
    public static byte[] nulTerminated(String ptx) {
        byte[] raw = ptx.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(raw, raw.length + 1);
    }

    /** @return the SHA-256 of the CUDA source that scripts/gen-ptx.sh recorded on the first line */
    public static String recordedSourceSha(String ptx) {
        int end = ptx.indexOf('\n');
        String first = end < 0 ? ptx : ptx.substring(0, end);
        if (!first.startsWith(SHA_PREFIX)) {
            throw new IllegalStateException(NAME + " lacks its '" + SHA_PREFIX.trim()
                    + "' header; regenerate it with autoglm-cuda/scripts/gen-ptx.sh");
        }
        return first.substring(SHA_PREFIX.length()).trim();
    }

    private static byte[] bytes() {
        try (InputStream in = PtxResource.class.getResourceAsStream(NAME)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource io/openautoglm/cuda/internal/" + NAME
                        + " is missing from the autoglm-cuda jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + NAME, e);
        }
    }
}
