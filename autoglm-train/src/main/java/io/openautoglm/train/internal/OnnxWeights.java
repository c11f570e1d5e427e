package io.openautoglm.train.internal;

import io.openautoglm.local.internal.Protobuf;
import io.openautoglm.local.internal.Protobuf.Field;
import io.openautoglm.local.internal.Protobuf.Span;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 *
 * <p>A dynamically quantised graph (ONNX Runtime's {@code quantize_dynamic}, as the shipped int8 bge-small-zh is)
 * takes weights too: its projection matrices are int8 per output column, symmetric ({@code MatMulInteger}, named
 * from the node as above), and its embedding tables uint8 per tensor ({@code Gather} then {@code DequantizeLinear}).
 * {@link #write} quantises float values into them the same way, keeping the graph's integer range (a reduced range
 * stays reduced) and, for the tables, the zero point, so that only bytes of the same length change.
 */
public final class OnnxWeights {
    /** A tensor's shape and values, row-major. */
    public record Tensor(long[] shape, float[] values) {}

    private record Stored(String onnxName, long[] shape, int offset, int length) {}

    /** An initializer as the protobuf holds it: type, shape, and where its raw, float or int32 data lie. */
    private record Initializer(String name, long type, long[] shape, Span raw, Span floats, Span ints) {}

    /**
     * A quantised weight: its integer data, and its scale and zero point initializers.
     *
     * @param perColumn int8 with one scale per output column (a projection), else uint8 with one scale (a table)
     */
    private record Quantized(Initializer data, Initializer scale, Initializer zeroPoint, boolean perColumn) {}

    private final byte[] model;
    private final Map<String, Stored> stored; // by PyTorch name
    private final Map<String, Quantized> quantized; // by PyTorch name

    private OnnxWeights(byte[] model, Map<String, Stored> stored, Map<String, Quantized> quantized) {
        this.model = model;
        this.stored = stored;
        this.quantized = quantized;
    }

    /** Reads the initializers of a float32 ONNX model and names them as PyTorch does. */
    public static OnnxWeights read(Path onnxFile) throws IOException {
        byte[] bytes = Files.readAllBytes(onnxFile);
        Span graph = null;
        for (Field f : Protobuf.fields(bytes, 0, bytes.length)) {
            if (f.number() == 7 && f.wire() == 2) { // ModelProto.graph
                graph = f.span();
            }
        }
        if (graph == null) {
            throw new IOException(onnxFile + " holds no ONNX graph");
        }
        Map<String, Initializer> initializers = new LinkedHashMap<>();
        Map<String, String> matMulNames = new HashMap<>();
        for (Field f : Protobuf.fields(bytes, graph)) {
            if (f.number() == 5 && f.wire() == 2) { // GraphProto.initializer
                Initializer t = initializer(bytes, f.span());
                initializers.put(t.name(), t);
            } else if (f.number() == 1 && f.wire() == 2) { // GraphProto.node
                node(bytes, f.span(), matMulNames);
            }
        }
        Map<String, Stored> byName = new LinkedHashMap<>();
        Map<String, Quantized> quantized = new LinkedHashMap<>();
        for (Initializer t : initializers.values()) {
            String name = matMulNames.getOrDefault(t.name(), t.name());
            if (t.type() == FLOAT && t.raw() != null) {
                long count = java.util.Arrays.stream(t.shape()).reduce(1, (x, y) -> x * y);
                if (count * 4 != t.raw().end() - t.raw().start()) {
                    throw new IOException(onnxFile + ": initializer " + t.name() + " holds "
                            + (t.raw().end() - t.raw().start()) + " bytes for shape "
                            + java.util.Arrays.toString(t.shape()));
                }
                byName.put(
                        name,
                        new Stored(
                                t.name(),
                                t.shape(),
                                t.raw().start(),
                                t.raw().end() - t.raw().start()));
            } else if ((t.type() == INT8 || t.type() == UINT8) && t.name().endsWith(QUANTIZED) && t.raw() != null) {
                String base = t.name().substring(0, t.name().length() - QUANTIZED.length());
                Initializer scale = initializers.get(base + "_scale");
                Initializer zero = initializers.get(base + "_zero_point");
                if (scale != null && zero != null) {
                    String pytorch = matMulNames.getOrDefault(t.name(), base);
                    quantized.put(pytorch, new Quantized(t, scale, zero, t.type() == INT8));
                }
            }
        }
        return new OnnxWeights(bytes, byName, quantized);
    }

    private static final long FLOAT = 1;
    private static final long UINT8 = 2;
    private static final long INT8 = 3;
    private static final String QUANTIZED = "_quantized";

    /** Whether the graph holds quantised weights (int8 projections, uint8 tables). */
    public boolean isQuantized() {
        return !quantized.isEmpty();
    }

    /** The PyTorch names of all float32 initializers, in the graph's order. */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(stored.keySet());
    }

    /** Whether {@link #write} can take a weight of that PyTorch name: a float or a quantised one. */
    public boolean holds(String name) {
        return stored.containsKey(name) || quantized.containsKey(name);
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
            Quantized q = quantized.get(w.getKey());
            if (q != null) {
                quantize(copy, q, w.getKey(), w.getValue());
                continue;
            }
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

    /** A TensorProto: dims (1), data_type (2), float_data (4), int32_data (5), name (8), raw_data (9). */
    private static Initializer initializer(byte[] b, Span s) throws IOException {
        String name = null;
        java.util.List<Long> dims = new java.util.ArrayList<>();
        long type = -1;
        Span raw = null;
        Span floats = null;
        Span ints = null;
        for (Field f : Protobuf.fields(b, s)) {
            switch (f.number()) {
                case 8 -> name = f.string(b);
                case 1 -> {
                    if (f.wire() == 0) {
                        dims.add(f.value());
                    } else {
                        for (long d : Protobuf.packed(b, f.span())) {
                            dims.add(d);
                        }
                    }
                }
                case 2 -> type = f.value();
                case 4 -> floats = f.wire() == 2 ? f.span() : floats;
                case 5 -> ints = f.wire() == 2 ? f.span() : ints;
                case 9 -> raw = f.span();
                default -> {}
            }
        }
        return new Initializer(
                name, type, dims.stream().mapToLong(Long::longValue).toArray(), raw, floats, ints);
    }

    /**
     * Quantises {@code values} into the graph's integer data and scale, in place in {@code copy}: a projection per
     * output column, symmetric within the base graph's own integer range; a table per tensor, around its zero point.
     */
    private void quantize(byte[] copy, Quantized q, String name, float[] values) throws IOException {
        Span data = q.data().raw();
        int count = data.end() - data.start();
        if (values.length != count) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for "
                    + java.util.Arrays.toString(q.data().shape()));
        }
        float[] scales = floats(model, q.scale());
        if (q.perColumn()) {
            int columns = Math.toIntExact(q.data().shape()[q.data().shape().length - 1]);
            if (scales.length != columns) {
                throw new IOException(name + ": " + scales.length + " scales for " + columns + " columns");
            }
            int range = 0; // the base graph's largest |q|: 127, or 64 where it reduced the range
            for (int i = data.start(); i < data.end(); i++) {
                range = Math.max(range, Math.abs(model[i]));
            }
            range = Math.min(range, 127); // symmetric: a -128 in the base must not let +128 wrap round
            for (long zero : ints(model, q.zeroPoint())) {
                if (zero != 0) {
                    throw new IOException(name + " is quantised with a zero point; only symmetric int8 is supported");
                }
            }
            float[] max = new float[columns];
            for (int i = 0; i < values.length; i++) {
                max[i % columns] = Math.max(max[i % columns], Math.abs(values[i]));
            }
            for (int c = 0; c < columns; c++) {
                scales[c] = max[c] > 0 ? max[c] / range : 1f;
            }
            for (int i = 0; i < values.length; i++) {
                long v = Math.round(values[i] / scales[i % columns]);
                copy[data.start() + i] = (byte) Math.max(-range, Math.min(range, v));
            }
        } else {
            long[] zeros = ints(model, q.zeroPoint());
            if (scales.length != 1 || zeros.length != 1) {
                throw new IOException(name + ": a table is expected to have one scale and one zero point");
            }
            int zero = (int) zeros[0];
            float min = 0;
            float max = 0;
            for (float v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            // the zero point stays, so that its varint keeps its length. At 128 the table was quantised symmetrically
            // (as the shipped graph is): ONNX Runtime's scale 2·max|w| / 255. Otherwise the scale stretches to
            // cover both ends around the zero point.
            scales[0] = zero == 128
                    ? 2 * Math.max(max, -min) / 255
                    : Math.max(zero < 255 ? max / (255 - zero) : 0, zero > 0 ? -min / zero : 0);
            if (!(scales[0] > 0)) {
                scales[0] = 1f;
            }
            for (int i = 0; i < values.length; i++) {
                long v = Math.round(values[i] / scales[0]) + zero;
                copy[data.start() + i] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        Span at = q.scale().raw() != null ? q.scale().raw() : q.scale().floats();
        ByteBuffer.wrap(copy, at.start(), at.end() - at.start())
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .put(scales);
    }

    /** A float initializer's values, from raw_data or packed float_data (both little-endian fixed32). */
    private static float[] floats(byte[] b, Initializer t) throws IOException {
        Span at = t.raw() != null ? t.raw() : t.floats();
        if (at == null) {
            throw new IOException(t.name() + " holds no packed float data");
        }
        float[] out = new float[(at.end() - at.start()) / 4];
        ByteBuffer.wrap(b, at.start(), at.end() - at.start())
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(out);
        return out;
    }

    /** An integer initializer's values, from packed int32_data (varints) or raw_data (one byte each). */
    private static long[] ints(byte[] b, Initializer t) throws IOException {
        if (t.ints() != null) {
            return Protobuf.packed(b, t.ints());
        }
        if (t.raw() != null) {
            long[] out = new long[t.raw().end() - t.raw().start()];
            for (int i = 0; i < out.length; i++) {
                out[i] = t.type() == UINT8
                        ? b[t.raw().start() + i] & 0xff
                        : b[t.raw().start() + i];
            }
            return out;
        }
        throw new IOException(t.name() + " holds no integer data");
    }

    /** A NodeProto: input (1), name (3), op_type (4). Records what a MatMul's second input is called in PyTorch. */
    private static void node(byte[] b, Span s, Map<String, String> matMulNames) throws IOException {
        java.util.List<String> inputs = new java.util.ArrayList<>();
        String name = null;
        String op = null;
        for (Field f : Protobuf.fields(b, s)) {
            switch (f.number()) {
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
        } else if ("MatMulInteger".equals(op) && name != null && name.endsWith("/MatMul_quant") && inputs.size() >= 2) {
            // the quantised graph's "/encoder/layer.0/attention/self/query/MatMul_quant" reads
            // "onnx::MatMul_541_quantized"
            String module =
                    name.substring(1, name.length() - "/MatMul_quant".length()).replace('/', '.');
            matMulNames.put(inputs.get(1), module + ".weight");
        }
    }
}
