package io.openautoglm.local.internal;

import io.openautoglm.local.internal.Protobuf.Field;
import io.openautoglm.local.internal.Protobuf.Span;
import io.openautoglm.local.internal.Protobuf.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
public final class FirstTokenGraph {
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
     * The rewritten model, or empty when the graph is not a BERT export this rewrite knows (then serve it whole).
     *
     * @param model an ONNX ModelProto
     */
    public static Optional<byte[]> rewrite(byte[] model) {
        Span graph = null;
        for (Field f : Protobuf.fields(model, 0, model.length)) {
            if (f.number() == 7 && f.wire() == 2) { // ModelProto.graph
                graph = f.span();
            }
        }
        if (graph == null) {
            return Optional.empty();
        }
        List<Node> nodes = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (Field f : Protobuf.fields(model, graph)) {
            if (f.number() == 1 && f.wire() == 2) { // GraphProto.node
                nodes.add(node(model, f));
            } else if (f.number() == 12 && f.wire() == 2) { // GraphProto.output
                outputs.add(valueName(model, f.span()));
            }
        }
        // the last layer's query projection, and what it reads
        Node query = null;
        int last = -1;
        for (Node n : nodes) {
            Matcher m = QUERY.matcher(n.name());
            if (m.matches()
                    && Integer.parseInt(m.group(1)) > last
                    && !n.inputs().isEmpty()) {
                last = Integer.parseInt(m.group(1));
                query = n;
            }
        }
        if (query == null || outputs.size() != 1) {
            return Optional.empty();
        }
        String layer = "/encoder/layer." + last + "/";
        String read = query.inputs().get(0); // the layer's input, or its quantised form
        Map<String, Node> producers = new HashMap<>();
        nodes.forEach(n -> n.outputs().forEach(o -> producers.put(o, n)));
        Node quantize = producers.get(read);
        String input = quantize != null && quantize.op().equals("DynamicQuantizeLinear")
                ? quantize.inputs().get(0)
                : read;
        // the residual around the attention is the only other reader of the layer's input that is per token
        Node residual = null;
        for (Node n : nodes) {
            if (n == query
                    || n == quantize
                    || !n.inputs().contains(input) && !n.inputs().contains(read)) {
                continue;
            }
            boolean keyOrValue = n.name()
                            .equals(layer + "attention/self/key/"
                                    + query.name().substring(query.name().lastIndexOf('/') + 1))
                    || n.name()
                            .equals(layer + "attention/self/value/"
                                    + query.name().substring(query.name().lastIndexOf('/') + 1));
            if (keyOrValue) {
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

        Writer g = new Writer(model.length);
        for (Field f : Protobuf.fields(model, graph)) {
            if (f.number() == 1 && f.wire() == 2) {
                Node n = nodeAt(nodes, f);
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

        Writer out = new Writer(model.length + 1024);
        for (Field f : Protobuf.fields(model, 0, model.length)) {
            if (f.number() == 7 && f.wire() == 2) {
                out.message(7, g);
            } else {
                out.copy(model, f);
            }
        }
        return Optional.of(out.toByteArray());
    }

    private static Node nodeAt(List<Node> nodes, Field f) {
        for (Node n : nodes) {
            if (n.field().from() == f.from()) {
                return n;
            }
        }
        throw new IllegalStateException("node at " + f.from() + " was not read");
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
