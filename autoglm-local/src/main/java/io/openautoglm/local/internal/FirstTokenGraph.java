package io.openautoglm.local.internal;

import io.openautoglm.local.internal.Protobuf.Field;
import io.openautoglm.local.internal.Protobuf.Span;
import io.openautoglm.local.internal.Protobuf.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A BERT graph rewritten to compute the last layer for the first token only: what CLS pooling reads.
 *
 * <p>Every layer but the last must still run for all tokens, and so must the last layer's keys and values, which every
 * query attends to. Its query, attention output, feed-forward and LayerNorms, however, are per token: computed for the
 * first token alone they cost a token's share instead of a text's. With four layers that is about a fifth of the
 * model's arithmetic. The rewrite slices the last layer's input to its first token where the query and the residual
 * read it; everything downstream then has one token, and the output is {@code (batch, 1, hidden)}.
 *
 * <p>In the float32 graph the first token's state is the same as in the full graph, up to rounding. In a dynamically
 * quantised graph the layer's activations after attention are quantised over the first token's values instead of the
 * whole text's, which changes the result slightly (usually toward float32, as the range quantised is narrower).
 *
 * <p>The graph is recognised by the node names of Hugging Face's ONNX export ({@code /encoder/layer.N/attention/self/
 * query/MatMul}, or {@code MatMul_quant} after ONNX Runtime's dynamic quantisation); any other graph is left alone.
 */
final class FirstTokenGraph {
    private FirstTokenGraph() {}

    private static final Pattern QUERY =
            Pattern.compile("/encoder/layer\\.(\\d+)/attention/self/query/(MatMul|MatMul_quant)");
    private static final String SLICED = "_autoglm_first_token";
    private static final String STARTS = "autoglm_first_token_starts";
    private static final String ENDS = "autoglm_first_token_ends";
    private static final String AXES = "autoglm_first_token_axes";

    /** A NodeProto as read: where it lies, and its name, type, inputs and outputs. */
    private record Node(Field field, String name, String op, List<String> inputs, List<String> outputs) {}

    /**
     * The rewritten model, or empty when the graph is not a BERT export this rewrite knows (then serve it whole):
     * its output is not the last layer's token states, it predates opset 10, or its weights lie in a side file.
     *
     * @param model an ONNX ModelProto
     * @throws java.io.UncheckedIOException when the bytes are not a readable protobuf
     */
    static Optional<byte[]> rewrite(byte[] model) {
        Span graph = null;
        int graphs = 0;
        long opset = -1;
        for (Field f : Protobuf.fields(model, 0, model.length)) {
            if (f.number() == 7 && f.wire() == 2) { // ModelProto.graph
                graph = f.span();
                graphs++;
            } else if (f.number() == 8 && f.wire() == 2) { // ModelProto.opset_import
                opset = Math.max(opset, defaultOpset(model, f.span()));
            }
        }
        // a graph split over several fields would be merged by protobuf; before opset 10 Slice took attributes
        if (graphs != 1 || opset < 10) {
            return Optional.empty();
        }
        List<Node> nodes = new ArrayList<>();
        List<Field> outputs = new ArrayList<>();
        for (Field f : Protobuf.fields(model, graph)) {
            if (f.number() == 1 && f.wire() == 2) { // GraphProto.node
                nodes.add(node(model, f));
            } else if (f.number() == 12 && f.wire() == 2) { // GraphProto.output
                outputs.add(f);
            } else if (f.number() == 5 && f.wire() == 2 && external(model, f.span())) {
                return Optional.empty(); // weights in a side file, which a graph loaded from bytes cannot find
            }
        }
        // the last layer's query projection, and what it reads
        Node query = null;
        int lastLayer = -1;
        for (Node n : nodes) {
            Matcher m = QUERY.matcher(n.name());
            if (m.matches()
                    && Integer.parseInt(m.group(1)) > lastLayer
                    && !n.inputs().isEmpty()) {
                lastLayer = Integer.parseInt(m.group(1));
                query = n;
            }
        }
        if (query == null || outputs.size() != 1) {
            return Optional.empty();
        }
        String layer = "/encoder/layer." + lastLayer + "/";
        String read = query.inputs().get(0); // the layer's input, or its quantised form
        Map<String, Node> producers = new HashMap<>();
        nodes.forEach(n -> n.outputs().forEach(o -> producers.put(o, n)));
        // the output must be the last layer's token states: a graph that pools inside would pool one token
        Node producer = producers.get(valueName(model, outputs.get(0).span()));
        if (producer == null
                || !producer.name().startsWith(layer)
                || rank(model, outputs.get(0).span()) != 3) {
            return Optional.empty();
        }
        Node quantize = producers.get(read);
        String input = quantize != null && quantize.op().equals("DynamicQuantizeLinear")
                ? quantize.inputs().get(0)
                : read;
        // the residual around the attention is the only other reader of the layer's input that is per token
        String matMul = query.name().substring(query.name().lastIndexOf('/') + 1); // MatMul or MatMul_quant
        Set<String> keysAndValues =
                Set.of(layer + "attention/self/key/" + matMul, layer + "attention/self/value/" + matMul);
        Node residual = null;
        for (Node n : nodes) {
            if (n == query
                    || n == quantize
                    || !n.inputs().contains(input) && !n.inputs().contains(read)) {
                continue;
            }
            if (keysAndValues.contains(n.name())) {
                continue;
            }
            if (residual != null || !n.name().equals(layer + "attention/output/Add") || !n.op().equals("Add")) {
                return Optional.empty(); // a reader this rewrite does not know: slicing could change its meaning
            }
            residual = n;
        }
        if (residual == null) {
            return Optional.empty();
        }

        Map<Integer, Node> byPlace = new HashMap<>();
        nodes.forEach(n -> byPlace.put(n.field().from(), n));
        Writer g = new Writer(graph.end() - graph.start() + 4096);
        for (Field f : Protobuf.fields(model, graph)) {
            if (f.number() == 1 && f.wire() == 2) {
                Node n = byPlace.get(f.from());
                if (n == query) {
                    g.message(1, slice(read, "Slice_first_token_query"));
                    if (!read.equals(input)) {
                        g.message(1, slice(input, "Slice_first_token_residual"));
                    }
                    g.message(1, withInputs(model, n, read, read + SLICED));
                } else if (n == residual) {
                    g.message(1, withInputs(model, n, input, input + SLICED));
                } else {
                    g.copy(model, f);
                }
            } else if (f.number() == 12 && f.wire() == 2) {
                g.bytes(12, firstTokenShape(model, f.span()));
            } else if (f.number() == 13
                    && f.wire() == 2
                    && valueName(model, f.span()).startsWith(layer)) {
                // shapes recorded for the last layer's tensors no longer hold; ONNX Runtime infers them again
                continue;
            } else {
                g.copy(model, f);
            }
        }
        g.message(5, int64(STARTS, 0)).message(5, int64(ENDS, 1)).message(5, int64(AXES, 1));

        // the model as it was but for its graph, in an array of the exact size: the model passes through the heap
        // as few times as it can
        int size = Writer.fieldSize(7, g.size());
        for (Field f : Protobuf.fields(model, 0, model.length)) {
            size += f.number() == 7 && f.wire() == 2 ? 0 : f.to() - f.from();
        }
        Writer out = new Writer(size);
        for (Field f : Protobuf.fields(model, 0, model.length)) {
            if (f.number() == 7 && f.wire() == 2) {
                out.message(7, g);
            } else {
                out.copy(model, f);
            }
        }
        return Optional.of(out.toByteArray());
    }

    /** NodeProto: input (1), output (2), name (3), op_type (4). */
    private static Node node(byte[] b, Field f) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String op = "";
        for (Field x : Protobuf.fields(b, f.span())) {
            switch (x.number()) {
                case 1 -> inputs.add(x.string(b));
                case 2 -> outputs.add(x.string(b));
                case 3 -> name = x.string(b);
                case 4 -> op = x.string(b);
                default -> {}
            }
        }
        return new Node(f, name, op, inputs, outputs);
    }

    /** The node with every input {@code from} read as {@code to} instead; its other fields as they were. */
    private static Writer withInputs(byte[] b, Node n, String from, String to) {
        Writer w = new Writer();
        for (Field x : Protobuf.fields(b, n.field().span())) {
            if (x.number() == 1 && x.string(b).equals(from)) {
                w.string(1, to);
            } else {
                w.copy(b, x);
            }
        }
        return w;
    }

    /** {@code Slice(tensor, [0], [1], axes=[1])}: the first token of a (batch, tokens, …) tensor. */
    private static Writer slice(String tensor, String name) {
        return new Writer()
                .string(1, tensor)
                .string(1, STARTS)
                .string(1, ENDS)
                .string(1, AXES)
                .string(2, tensor + SLICED)
                .string(3, name)
                .string(4, "Slice");
    }

    /** A one-element int64 TensorProto: dims (1), data_type (2, INT64 = 7), int64_data (7), name (8). */
    private static Writer int64(String name, long value) {
        return new Writer().varint(1, 1).varint(2, 7).varint(7, value).string(8, name);
    }

    /** The version of the default ONNX domain in an OperatorSetIdProto: domain (1), version (2); -1 for another. */
    private static long defaultOpset(byte[] b, Span s) {
        String domain = "";
        long version = -1;
        for (Field f : Protobuf.fields(b, s)) {
            if (f.number() == 1 && f.wire() == 2) {
                domain = f.string(b);
            } else if (f.number() == 2 && f.wire() == 0) {
                version = f.value();
            }
        }
        return domain.isEmpty() || domain.equals("ai.onnx") ? version : -1;
    }

    /** Whether a TensorProto keeps its data in another file: data_location (14) = EXTERNAL (1). */
    private static boolean external(byte[] b, Span s) {
        for (Field f : Protobuf.fields(b, s)) {
            if (f.number() == 14 && f.wire() == 0 && f.value() == 1) {
                return true;
            }
        }
        return false;
    }

    /** The number of dimensions a ValueInfoProto declares, or -1 without a shape (see {@link #firstTokenShape}). */
    private static int rank(byte[] b, Span valueInfo) {
        for (Field f : Protobuf.fields(b, valueInfo)) {
            if (f.number() != 2 || f.wire() != 2) {
                continue;
            }
            for (Field t : Protobuf.fields(b, f.span())) {
                if (t.number() != 1 || t.wire() != 2) {
                    continue;
                }
                for (Field x : Protobuf.fields(b, t.span())) {
                    if (x.number() == 2 && x.wire() == 2) {
                        int dims = 0;
                        for (Field d : Protobuf.fields(b, x.span())) {
                            dims += d.number() == 1 ? 1 : 0;
                        }
                        return dims;
                    }
                }
            }
        }
        return -1;
    }

    /** ValueInfoProto.name (1). */
    private static String valueName(byte[] b, Span s) {
        for (Field f : Protobuf.fields(b, s)) {
            if (f.number() == 1 && f.wire() == 2) {
                return f.string(b);
            }
        }
        return "";
    }

    /**
     * The graph output's ValueInfoProto with its second dimension set to 1: name (1), type (2) → tensor_type (1) →
     * shape (2) → dim (1) → dim_value (1) or dim_param (2).
     */
    private static byte[] firstTokenShape(byte[] b, Span valueInfo) {
        Writer info = new Writer();
        for (Field f : Protobuf.fields(b, valueInfo)) {
            if (f.number() != 2) {
                info.copy(b, f);
                continue;
            }
            Writer type = new Writer();
            for (Field t : Protobuf.fields(b, f.span())) {
                if (t.number() != 1) {
                    type.copy(b, t);
                    continue;
                }
                Writer tensor = new Writer();
                for (Field x : Protobuf.fields(b, t.span())) {
                    if (x.number() != 2) {
                        tensor.copy(b, x);
                        continue;
                    }
                    Writer shape = new Writer();
                    int dim = 0;
                    for (Field d : Protobuf.fields(b, x.span())) {
                        if (d.number() == 1 && dim++ == 1) {
                            shape.message(1, new Writer().varint(1, 1));
                        } else {
                            shape.copy(b, d);
                        }
                    }
                    tensor.message(2, shape);
                }
                type.message(1, tensor);
            }
            info.message(2, type);
        }
        return info.toByteArray();
    }
}
