package io.openautoglm.gnn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Objects;

/**
 * A GNN architecture: one operator per layer (1 to 3 layers), hidden width, attention heads, activation,
 * skip connections, dropout, and optionally deep propagation after the last layer. The last layer maps to the classes (node classification) or to the
 * embedding (link prediction); hidden layers have width {@code hidden} (for GAT, {@code heads} heads of
 * {@code hidden / heads} each, concatenated).
 *
 * <pre>{@code
 * Architecture gcn = Architecture.of(List.of(Operator.GCN, Operator.GCN), 16, 1, Activation.RELU, false, 0.5);
 * String json = gcn.toJson();
 * Architecture back = Architecture.fromJson(json);
 * }</pre>
 *
 * @param operators operator per layer, first to last
 * @param hidden width of every hidden layer
 * @param heads attention heads in hidden GAT layers (ignored by GCN and SAGE)
 * @param activation non-linearity after every hidden layer
 * @param skip whether each layer adds a linear projection of its input (a residual connection)
 * @param dropout drop rate on the input of every layer (and on GAT attention weights)
 * @param propagation hops of weight-free GCN propagation after the last layer, mixed per node by learned
 *     retention scores (DAGNN); 0 for none. With {@link Operator#LINEAR} layers this is the decoupled
 *     "transform, then propagate" family (APPNP, DAGNN), which reaches far without deep stacks of weights.
 */
public record Architecture(
        List<Operator> operators,
        int hidden,
        int heads,
        Activation activation,
        boolean skip,
        double dropout,
        int propagation) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Message-passing operators. */
    public enum Operator {
        /** Kipf and Welling's graph convolution: symmetric normalisation with self loops. */
        GCN,
        /** Veličković et al.'s graph attention: softmax over each node's neighbours, multi-head. */
        GAT,
        /** Hamilton et al.'s GraphSAGE with mean aggregation and a separate self weight. */
        SAGE,
        /** A dense layer on each node alone, no message passing: the transform of decoupled models. */
        LINEAR
    }

    /** Non-linearities between layers. */
    public enum Activation {
        RELU,
        ELU,
        LEAKY_RELU,
        TANH
    }

    public Architecture {
        Objects.requireNonNull(operators, "operators");
        Objects.requireNonNull(activation, "activation");
        operators = List.copyOf(operators);
        if (operators.isEmpty() || operators.size() > 3) {
            throw new IllegalArgumentException("operators must have 1 to 3 layers, was " + operators.size());
        }
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden must be >= 1, was " + hidden);
        }
        if (heads < 1) {
            throw new IllegalArgumentException("heads must be >= 1, was " + heads);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropout);
        }
        if (propagation < 0 || propagation > MAX_PROPAGATION) {
            throw new IllegalArgumentException(
                    "propagation must be 0 to " + MAX_PROPAGATION + " hops, was " + propagation);
        }
    }

    /** The most propagation hops an architecture may ask for. */
    public static final int MAX_PROPAGATION = 64;

    /** An architecture without propagation after the last layer; reads better at call sites. */
    public static Architecture of(
            List<Operator> operators, int hidden, int heads, Activation activation, boolean skip, double dropout) {
        return new Architecture(operators, hidden, heads, activation, skip, dropout, 0);
    }

    /** Kipf and Welling's two-layer GCN (16 hidden, ReLU, dropout 0.5). */
    public static Architecture gcnBaseline() {
        return of(List.of(Operator.GCN, Operator.GCN), 16, 1, Activation.RELU, false, 0.5);
    }

    /** Veličković et al.'s two-layer GAT for citation graphs (8 heads × 8, ELU, dropout 0.6). */
    public static Architecture gatBaseline() {
        return of(List.of(Operator.GAT, Operator.GAT), 64, 8, Activation.ELU, false, 0.6);
    }

    /**
     * DAGNN as its authors ran it on citation graphs: two dense layers (64 wide, ReLU, dropout 0.8) then 10
     * hops of adaptive propagation.
     */
    public static Architecture dagnnBaseline() {
        return new Architecture(List.of(Operator.LINEAR, Operator.LINEAR), 64, 1, Activation.RELU, false, 0.8, 10);
    }

    /** Kipf and Welling's graph auto-encoder for link prediction: a GCN encoder 32 → 16, no dropout. */
    public static Architecture gaeBaseline() {
        return of(List.of(Operator.GCN, Operator.GCN), 32, 1, Activation.RELU, false, 0.0);
    }

    public int layers() {
        return operators.size();
    }

    /** This architecture with another dropout rate. */
    public Architecture withDropout(double rate) {
        return new Architecture(operators, hidden, heads, activation, skip, rate, propagation);
    }

    /** JSON form, e.g. {@code {"operators":["GCN","GCN"],"hidden":16,...}}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + this, e);
        }
    }

    /**
     * Parses {@link #toJson()} output. Every field is required except {@code propagation} (0 when absent, as
     * in files written before it existed); an error names the field.
     *
     * @throws IllegalArgumentException when the text is not such an object
     */
    public static Architecture fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an architecture JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not an architecture JSON: expected an object, got " + json);
        }
        JsonNode ops = field(root, "operators");
        if (!ops.isArray()) {
            throw new IllegalArgumentException("architecture JSON: field 'operators' must be an array, got " + ops);
        }
        List<Operator> operators = new java.util.ArrayList<>();
        for (JsonNode op : ops) {
            operators.add(constant(Operator.class, "operators", op));
        }
        JsonNode propagation = root.get("propagation");
        return new Architecture(
                operators,
                whole(root, "hidden"),
                whole(root, "heads"),
                constant(Activation.class, "activation", field(root, "activation")),
                bool(root, "skip"),
                number(root, "dropout"),
                propagation == null ? 0 : whole(root, "propagation"));
    }

    private static JsonNode field(JsonNode root, String name) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("architecture JSON: field '" + name + "' is missing");
        }
        return v;
    }

    private static int whole(JsonNode root, String name) {
        JsonNode v = field(root, name);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(
                    "architecture JSON: field '" + name + "' must be a whole number, got " + v);
        }
        return v.intValue();
    }

    private static double number(JsonNode root, String name) {
        JsonNode v = field(root, name);
        if (!v.isNumber()) {
            throw new IllegalArgumentException("architecture JSON: field '" + name + "' must be a number, got " + v);
        }
        return v.doubleValue();
    }

    private static boolean bool(JsonNode root, String name) {
        JsonNode v = field(root, name);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(
                    "architecture JSON: field '" + name + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String name, JsonNode v) {
        try {
            return Enum.valueOf(type, v.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("architecture JSON: field '" + name + "' must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()) + ", got " + v);
        }
    }

    /** Compact form for logs, e.g. {@code GCN-GAT h64x8 elu skip d0.6} or {@code LINEAR-LINEAR h64 relu d0.80 prop10}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < operators.size(); i++) {
            if (i > 0) {
                sb.append('-');
            }
            sb.append(operators.get(i));
        }
        sb.append(" h").append(hidden);
        if (operators.contains(Operator.GAT)) {
            sb.append('x').append(heads);
        }
        sb.append(' ').append(activation.name().toLowerCase(java.util.Locale.ROOT));
        if (skip) {
            sb.append(" skip");
        }
        sb.append(String.format(java.util.Locale.ROOT, " d%.2f", dropout));
        if (propagation > 0) {
            sb.append(" prop").append(propagation);
        }
        return sb.toString();
    }
}
