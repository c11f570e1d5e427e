package io.openautoglm.benchmarks.local;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.local.LocalEmbeddings;
import io.openautoglm.local.LocalOptions;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How close the local int8 engine runs to this CPU's int8 matrix-multiply ceiling, both measured through ONNX
 * Runtime. The ceiling: a one-node graph, {@code MatMulInteger} of uint8 activations {@code [tokens, 512]} by int8
 * weights {@code [512, 2048]} (bge-small-zh's feed-forward, its largest product), timed at the engine's thread
 * settings. The engine: the ChnSentiCorp test texts embedded with {@code local:bge-small-zh} (defaults, cache off),
 * its rate in multiply-accumulates counted from the texts' real tokens: per token and layer, 4·512² for the
 * projections, 2·512·2048 for the feed-forward and 2·512·n for attention over a text of n tokens, except that the
 * last layer runs for the first token alone but for its keys and values (2·512² per token).
 *
 * <pre>
 * java -Dai.djl.offline=true -cp "benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)" \
 *     io.openautoglm.benchmarks.local.Int8CeilingBenchmark [rounds=3]
 * </pre>
 */
public final class Int8CeilingBenchmark {
    private static final int HIDDEN = 512;
    private static final int FF = 2048;
    private static final int LAYERS = 4;

    private Int8CeilingBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        System.out.println("Int8CeilingBenchmark: " + LocalBenchData.machine());
        List<TextRecord> test = LocalBenchData.chnSentiCorp("test").toList();
        LocalOptions options = LocalOptions.builder().cacheSize(0).build();
        try (LocalEmbeddings engine = LocalEmbeddings.open("local:bge-small-zh", options)) {
            List<String> texts = test.stream().map(TextRecord::text).toList();
            double macsPerPass = 0;
            for (String t : texts) {
                long n = engine.tokenCount(t);
                // the engine runs its last layer for the first token alone (CLS pooling): keys and values for all
                double perToken = 4.0 * HIDDEN * HIDDEN + 2.0 * HIDDEN * FF + 2.0 * HIDDEN * n;
                macsPerPass +=
                        n * (LAYERS - 1) * perToken + n * 2.0 * HIDDEN * HIDDEN + (perToken - 2.0 * HIDDEN * HIDDEN);
            }
            engine.embed(texts.subList(0, 32), new UsageMeter());
            for (int r = 1; r <= rounds; r++) {
                for (int threads : new int[] {1, 2}) {
                    System.out.printf(
                            "round %d  MatMulInteger [128x512]x[512x2048], %d thread(s): %.1f GMAC/s (load %.2f)%n",
                            r, threads, ceiling(128, threads), load());
                }
                long start = System.nanoTime();
                engine.embed(texts, new UsageMeter());
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        "round %d  local int8 engine (%s): %.1f texts/s, %.1f GMAC/s of model arithmetic (load %.2f)%n",
                        r, options, texts.size() / seconds, macsPerPass / seconds / 1e9, load());
            }
        }
    }

    /** Multiply-accumulates per second of one MatMulInteger node, in billions. */
    private static double ceiling(int tokens, int threads) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        byte[] weights = new byte[HIDDEN * FF];
        new Random(7).nextBytes(weights);
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            try (OrtSession session = env.createSession(matMulInteger(tokens, weights), o)) {
                byte[] a = new byte[tokens * HIDDEN];
                new Random(8).nextBytes(a);
                try (OnnxTensor input = OnnxTensor.createTensor(
                        env, ByteBuffer.wrap(a), new long[] {tokens, HIDDEN}, ai.onnxruntime.OnnxJavaType.UINT8)) {
                    for (int i = 0; i < 20; i++) {
                        session.run(Map.of("a", input)).close();
                    }
                    int runs = 200;
                    long start = System.nanoTime();
                    for (int i = 0; i < runs; i++) {
                        session.run(Map.of("a", input)).close();
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    return (double) runs * tokens * HIDDEN * FF / seconds / 1e9;
                }
            }
        }
    }

    /** The ONNX protobuf of {@code y = MatMulInteger(a, W)}: a is a uint8 input, W an int8 initializer. */
    private static byte[] matMulInteger(int tokens, byte[] weights) {
        byte[] node = message(strings(1, "a", "w"), field(2, "y"), field(3, "matmul"), field(4, "MatMulInteger"));
        byte[] initializer = message(varints(1, HIDDEN, FF), varint(2, 3), field(8, "w"), field(9, weights)); // 3: INT8
        byte[] graph = message(
                field(1, node),
                field(2, "ceiling"),
                field(5, initializer),
                field(11, valueInfo("a", 2, tokens, HIDDEN)), // 2: UINT8
                field(12, valueInfo("y", 6, tokens, FF))); // 6: INT32
        byte[] opset = message(field(1, ""), varint(2, 13));
        return message(varint(1, 8), field(7, graph), field(8, opset));
    }

    private static byte[] valueInfo(String name, int type, long... dims) {
        byte[][] dimensions = new byte[dims.length][];
        for (int i = 0; i < dims.length; i++) {
            dimensions[i] = field(1, message(varint(1, dims[i])));
        }
        byte[] tensor = message(varint(1, type), field(2, message(dimensions)));
        return message(field(1, name), field(2, message(field(1, tensor))));
    }

    private static byte[] message(byte[]... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : fields) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private static byte[] strings(int number, String... values) {
        byte[][] fields = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            fields[i] = field(number, values[i]);
        }
        return message(fields);
    }

    private static byte[] varints(int number, long... values) {
        byte[][] fields = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            fields[i] = varint(number, values[i]);
        }
        return message(fields);
    }

    private static byte[] varint(int number, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, (long) number << 3);
        writeVarint(out, value);
        return out.toByteArray();
    }

    private static byte[] field(int number, String value) {
        return field(number, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] field(int number, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, ((long) number << 3) | 2);
        writeVarint(out, value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
