package io.openautoglm.train.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The float32 weights of a BERT encoder exported to ONNX, read straight from the protobuf, and written back into a
 * copy of the same graph.
 *
 * <p>Biases and LayerNorm parameters keep their PyTorch names as initializers ({@code encoder.layer.0.output.dense.bias});
 * the exporter renamed the projection matrices ({@code onnx::MatMul_541}) and stored them transposed, {@code [in, out]}.
 * Their names come back from the MatMul node that reads them ({@code /encoder/layer.0/attention/self/query/MatMul}
 * becomes {@code encoder.layer.0.attention.self.query.weight}); they are kept as {@code [in, out]}, which is also
 * what {@code x.matMul(w)} wants.
 *
 * <p>Writing back patches the bytes of each initializer's {@code raw_data} in place: the shapes do not change, so
 * neither does any length in the protobuf, and the rest of the graph is copied untouched.
 */
public final class OnnxWeights {
    /** A tensor's shape and values, row-major. */
    public record Tensor(long[] shape, float[] values) {}

    private record Stored(String onnxName, long[] shape, int offset, int length) {}

    private final byte[] model;
    private final Map<String, Stored> stored; // by PyTorch name

    private OnnxWeights(byte[] model, Map<String, Stored> stored) {
        this.model = model;
        this.stored = stored;
    }

    /** Reads the initializers of a float32 ONNX model and names them as PyTorch does. */
    public static OnnxWeights read(Path onnxFile) throws IOException {
        byte[] bytes = Files.readAllBytes(onnxFile);
        Span graph = null;
        for (Field f : new Reader(bytes, 0, bytes.length)) {
            if (f.number == 7 && f.wire == 2) { // ModelProto.graph
                graph = f.span;
            }
        }
        if (graph == null) {
            throw new IOException(onnxFile + " holds no ONNX graph");
        }
        Map<String, Stored> byOnnxName = new LinkedHashMap<>();
        Map<String, String> matMulNames = new HashMap<>();
        for (Field f : new Reader(bytes, graph.start, graph.end)) {
            if (f.number == 5 && f.wire == 2) { // GraphProto.initializer
                Stored t = tensor(bytes, f.span, onnxFile);
                if (t != null) {
                    byOnnxName.put(t.onnxName, t);
                }
            } else if (f.number == 1 && f.wire == 2) { // GraphProto.node
                node(bytes, f.span, matMulNames);
            }
        }
        Map<String, Stored> byName = new LinkedHashMap<>();
        for (Stored t : byOnnxName.values()) {
            String name = matMulNames.getOrDefault(t.onnxName, t.onnxName);
            byName.put(name, t);
        }
        return new OnnxWeights(bytes, byName);
    }

    /** The PyTorch names of all float32 initializers, in the graph's order. */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(stored.keySet());
    }

    /** A tensor by its PyTorch name; projection matrices come as {@code [in, out]}. */
    public Tensor get(String name) {
        Stored t = stored.get(name);
        if (t == null) {
            throw new IllegalArgumentException("the ONNX model has no weight named " + name);
        }
        float[] values = new float[t.length / 4];
        ByteBuffer.wrap(model, t.offset, t.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(values);
        return new Tensor(t.shape.clone(), values);
    }

    /**
     * Writes a copy of the model with the given weights in place of the stored ones; weights not given keep their
     * values.
     *
     * @throws IllegalArgumentException for a name the model lacks or a value count that does not fit its shape
     */
    public void write(Map<String, float[]> weights, Path target) throws IOException {
        byte[] copy = model.clone();
        for (Map.Entry<String, float[]> w : weights.entrySet()) {
            Stored t = stored.get(w.getKey());
            if (t == null) {
                throw new IllegalArgumentException("the ONNX model has no weight named " + w.getKey());
            }
            if (w.getValue().length * 4 != t.length) {
                throw new IllegalArgumentException(
                        w.getKey() + ": " + w.getValue().length + " values for " + java.util.Arrays.toString(t.shape));
            }
            ByteBuffer.wrap(copy, t.offset, t.length)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .put(w.getValue());
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, copy);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A TensorProto: name (8), dims (1), data_type (2, 1 = float), raw_data (9). Null for any other kind. */
    private static Stored tensor(byte[] b, Span s, Path file) throws IOException {
        String name = null;
        java.util.List<Long> dims = new java.util.ArrayList<>();
        long type = -1;
        Span raw = null;
        for (Field f : new Reader(b, s.start, s.end)) {
            switch (f.number) {
                case 8 -> name = f.string(b);
                case 1 -> {
                    if (f.wire == 0) {
                        dims.add(f.value);
                    } else {
                        for (Field d : Reader.packed(b, f.span)) {
                            dims.add(d.value);
                        }
                    }
                }
                case 2 -> type = f.value;
                case 9 -> raw = f.span;
                default -> {}
            }
        }
        if (type != 1 || raw == null) {
            return null; // int64 constants and the like: not weights
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long count = java.util.Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        if (count * 4 != raw.end - raw.start) {
            throw new IOException(file + ": initializer " + name + " holds " + (raw.end - raw.start)
                    + " bytes for shape " + java.util.Arrays.toString(shape));
        }
        return new Stored(name, shape, raw.start, raw.end - raw.start);
    }

    /** A NodeProto: input (1), name (3), op_type (4). Records what a MatMul's second input is called in PyTorch. */
    private static void node(byte[] b, Span s, Map<String, String> matMulNames) throws IOException {
        java.util.List<String> inputs = new java.util.ArrayList<>();
        String name = null;
        String op = null;
        for (Field f : new Reader(b, s.start, s.end)) {
            switch (f.number) {
                case 1 -> inputs.add(f.string(b));
                case 3 -> name = f.string(b);
                case 4 -> op = f.string(b);
                default -> {}
            }
        }
        if ("MatMul".equals(op) && name != null && name.endsWith("/MatMul") && inputs.size() == 2) {
            // "/encoder/layer.0/attention/self/query/MatMul" -> "encoder.layer.0.attention.self.query.weight"
            String module =
                    name.substring(1, name.length() - "/MatMul".length()).replace('/', '.');
            matMulNames.put(inputs.get(1), module + ".weight");
        }
    }

    private record Span(int start, int end) {}

    private static final class Field {
        int number;
        int wire;
        long value;
        Span span;

        String string(byte[] b) {
            return new String(b, span.start, span.end - span.start, StandardCharsets.UTF_8);
        }
    }

    /** The fields of one protobuf message, in order; only the wire types an ONNX file uses. */
    private static final class Reader implements Iterable<Field> {
        private final byte[] b;
        private final int start;
        private final int end;

        Reader(byte[] b, int start, int end) {
            this.b = b;
            this.start = start;
            this.end = end;
        }

        static java.util.List<Field> packed(byte[] b, Span s) throws IOException {
            java.util.List<Field> out = new java.util.ArrayList<>();
            int[] pos = {s.start};
            while (pos[0] < s.end) {
                Field f = new Field();
                f.value = varint(b, pos);
                out.add(f);
            }
            return out;
        }

        @Override
        public java.util.Iterator<Field> iterator() {
            return new java.util.Iterator<>() {
                final int[] pos = {start};

                @Override
                public boolean hasNext() {
                    return pos[0] < end;
                }

                @Override
                public Field next() {
                    try {
                        long key = varint(b, pos);
                        Field f = new Field();
                        f.number = (int) (key >>> 3);
                        f.wire = (int) (key & 7);
                        switch (f.wire) {
                            case 0 -> f.value = varint(b, pos);
                            case 1 -> pos[0] += 8;
                            case 5 -> pos[0] += 4;
                            case 2 -> {
                                int len = Math.toIntExact(varint(b, pos));
                                f.span = new Span(pos[0], pos[0] + len);
                                pos[0] += len;
                            }
                            default -> throw new IOException("unsupported protobuf wire type " + f.wire);
                        }
                        if (pos[0] > end) {
                            throw new IOException("truncated protobuf message");
                        }
                        return f;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException("not a readable ONNX model: " + e.getMessage(), e);
                    }
                }
            };
        }

        private static long varint(byte[] b, int[] pos) throws IOException {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos[0] >= b.length) {
                    throw new IOException("truncated varint");
                }
                byte x = b[pos[0]++];
                result |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return result;
                }
            }
            throw new IOException("malformed varint");
        }
    }
}
