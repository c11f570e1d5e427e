package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named float tensors in one file, written whole to a temporary file and then moved into place, so that a run killed
 * while writing leaves the previous checkpoint intact.
 */
public final class Checkpoint {
    private static final int MAGIC = 0x41474c54; // "AGLT"

    private Checkpoint() {}

    public static void write(Map<String, NDArray> tensors, Path file) throws IOException {
        write(tensors, NDArray::toFloatArray, file);
    }

    /** Values already copied out, such as the best epoch's weights. */
    public static void writeValues(Map<String, float[]> values, Path file) throws IOException {
        write(values, v -> v, file);
    }

    private static <T> void write(Map<String, T> tensors, java.util.function.Function<T, float[]> values, Path file)
            throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
            out.writeInt(MAGIC);
            out.writeInt(tensors.size());
            for (Map.Entry<String, T> t : tensors.entrySet()) {
                out.writeUTF(t.getKey());
                float[] v = values.apply(t.getValue());
                out.writeInt(v.length);
                ByteBuffer bytes = ByteBuffer.allocate(v.length * 4);
                bytes.asFloatBuffer().put(v); // big-endian, as DataInputStream reads
                out.write(bytes.array());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The tensors' values by name. */
    public static Map<String, float[]> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not an autoglm-train checkpoint");
            }
            int count = in.readInt();
            Map<String, float[]> out = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                float[] values = new float[in.readInt()];
                byte[] bytes = new byte[values.length * 4];
                in.readFully(bytes);
                ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
                out.put(name, values);
            }
            return out;
        }
    }

    /** Copies saved values into live tensors of the same names and sizes. */
    public static void restore(Map<String, float[]> saved, Map<String, NDArray> into, Path file) throws IOException {
        for (Map.Entry<String, NDArray> t : into.entrySet()) {
            float[] values = saved.get(t.getKey());
            if (values == null || values.length != t.getValue().size()) {
                throw new IOException(file + " does not fit this model: " + t.getKey()
                        + (values == null ? " is missing" : " has " + values.length + " values"));
            }
            t.getValue().set(java.nio.FloatBuffer.wrap(values));
        }
    }
}
