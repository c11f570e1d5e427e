package io.openautoglm.local.internal;

import ai.djl.engine.Engine;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.openautoglm.core.AutoGlmException;
import io.openautoglm.local.LocalOptions;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX model on ONNX Runtime's own Java API. Nothing here asks for a GPU unless the options do: the session
 * gets the CUDA execution provider only for {@code device=gpu}, so a CPU run never looks for CUDA libraries.
 * Thread-safe: an ONNX Runtime session serves concurrent runs.
 */
final class OnnxEncoder implements Encoder {
    /** The ONNX Runtime version the parent POM pins, for messages. */
    static final String ORT_VERSION = "1.21.1";

    private static final Logger LOG = LoggerFactory.getLogger(OnnxEncoder.class);

    /**
     * The largest model rewritten for the first token: the rewrite holds the file and the new graph on the heap for a
     * moment (about three times the file). bge-small-zh is 24 MB in int8 and 95 MB in float32.
     */
    private static final long MAX_REWRITE_BYTES = 256L << 20;

    private static final List<String> FEEDABLE = List.of("input_ids", "attention_mask", "token_type_ids");

    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<String> inputs;
    private final Set<String> output;

    private OnnxEncoder(OrtEnvironment env, OrtSession session, List<String> inputs, String output) {
        this.env = env;
        this.session = session;
        this.inputs = inputs;
        this.output = Set.of(output);
    }

    /**
     * Opens a session on {@code modelFile}.
     *
     * @param firstTokenOnly the caller reads only the first token's state (CLS pooling): a BERT graph is then cut to
     *                       compute its last layer for that token alone ({@link FirstTokenGraph}), and the output is
     *                       {@code (batch, 1, hidden)}; other graphs are served whole
     * @throws AutoGlmException when the model cannot be read, wants an input the engine cannot feed, has no
     *                          usable output, or a GPU was asked for without ONNX Runtime's CUDA build
     */
    static OnnxEncoder open(
            String modelName, Path modelFile, LocalOptions options, ClassLoader loader, boolean firstTokenOnly) {
        OrtEnvironment env = environment(loader);
        OrtSession session = firstTokenOnly ? firstTokenSession(env, modelName, modelFile, options) : null;
        if (session == null) {
            try (OrtSession.SessionOptions settings = sessionOptions(modelName, options)) {
                session = env.createSession(modelFile.toString(), settings);
            } catch (OrtException e) {
                throw new AutoGlmException(
                        "Could not load model '" + modelName + "' from " + modelFile + ": " + e.getMessage(), e);
            }
        }
        try {
            List<String> inputs = new ArrayList<>(session.getInputNames());
            for (String input : inputs) {
                if (!FEEDABLE.contains(input)) {
                    throw new AutoGlmException("Model '" + modelName + "' (" + modelFile + ") expects an input '"
                            + input + "'; only input_ids, attention_mask and token_type_ids can be fed");
                }
            }
            return new OnnxEncoder(env, session, List.copyOf(inputs), output(modelName, modelFile, session));
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof AutoGlmException ae) {
                throw ae;
            }
            throw new AutoGlmException(
                    "Could not read the inputs and outputs of model '" + modelName + "' (" + modelFile + "): "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * A session on the graph cut to the first token's state, or {@code null} to serve the graph whole: it is not one
     * {@link FirstTokenGraph} knows, it is too large to rewrite on the heap, or the cut graph did not load.
     */
    private static OrtSession firstTokenSession(
            OrtEnvironment env, String modelName, Path modelFile, LocalOptions options) {
        Optional<byte[]> cut;
        try {
            if (Files.size(modelFile) > MAX_REWRITE_BYTES) {
                LOG.debug("{}: {} is too large to rewrite on the heap; served whole", modelName, modelFile);
                return null;
            }
            cut = FirstTokenGraph.rewrite(Files.readAllBytes(modelFile));
        } catch (IOException | java.io.UncheckedIOException e) {
            // unreadable here: loading the file as ONNX Runtime reads it reports why, if it cannot load either
            LOG.debug("{}: not rewritten ({}); served whole", modelName, e.toString());
            return null;
        } catch (RuntimeException e) {
            LOG.warn("{}: the rewrite for the first token failed ({}); served whole", modelName, e.toString());
            return null;
        } catch (OutOfMemoryError e) {
            // the copies are unreachable once this returns; ONNX Runtime loads the file outside the heap
            LOG.warn("{}: too little heap to rewrite the graph for the first token; served whole", modelName);
            return null;
        }
        if (cut.isEmpty()) {
            LOG.debug("{}: not a BERT graph whose last layer can be cut to the first token; served whole", modelName);
            return null;
        }
        try (OrtSession.SessionOptions settings = sessionOptions(modelName, options)) {
            OrtSession session = env.createSession(cut.get(), settings);
            LOG.info("{}: the last layer runs for the first token only (CLS pooling reads nothing else)", modelName);
            return session;
        } catch (OrtException e) {
            LOG.warn("{}: the graph cut to the first token did not load ({}); served whole", modelName, e.getMessage());
            return null;
        }
    }

    /** The first float output of rank 3 (token states), else the first of rank 2 (sentence vectors). */
    private static String output(String modelName, Path modelFile, OrtSession session) throws OrtException {
        String vectors = null;
        List<String> seen = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT) {
                if (t.getShape().length == 3) {
                    return e.getKey();
                }
                if (t.getShape().length == 2 && vectors == null) {
                    vectors = e.getKey();
                }
            }
            seen.add(e.getKey() + " " + e.getValue().getInfo());
        }
        if (vectors == null) {
            throw new AutoGlmException("Model '" + modelName + "' (" + modelFile + ") has no float output of token "
                    + "states (batch, tokens, hidden) or sentence vectors (batch, hidden); its outputs: " + seen);
        }
        return vectors;
    }

    /**
     * The process-wide ONNX Runtime environment. When the application also has DJL's ONNX Runtime engine, that
     * engine is started first: it creates the environment itself, with its own thread settings, and fails if one
     * already exists.
     */
    private static OrtEnvironment environment(ClassLoader loader) {
        if (loader.getResource("ai/djl/onnxruntime/engine/OrtEngine.class") != null
                && Engine.hasEngine("OnnxRuntime")) {
            Engine.getEngine("OnnxRuntime");
        }
        return OrtEnvironment.getEnvironment();
    }

    /**
     * ONNX Runtime settings. Spinning is off by default: on a machine shared with other work, intra-op threads
     * that spin while waiting for each other burn the cores the other threads need.
     */
    private static OrtSession.SessionOptions sessionOptions(String modelName, LocalOptions options)
            throws OrtException {
        OrtSession.SessionOptions session = new OrtSession.SessionOptions();
        try {
            if (options.threads() > 0) {
                session.setIntraOpNumThreads(options.threads());
            }
            session.setInterOpNumThreads(1);
            session.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session.addConfigEntry("session.intra_op.allow_spinning", options.spinning() ? "1" : "0");
            if (options.gpu()) {
                try {
                    session.addCUDA(options.gpuIndex());
                } catch (OrtException e) {
                    throw new AutoGlmException(
                            "Model '" + modelName + "' with device=" + options.device()
                                    + " needs ONNX Runtime's CUDA build and an NVIDIA driver: replace the dependency "
                                    + "com.microsoft.onnxruntime:onnxruntime with com.microsoft.onnxruntime:onnxruntime_gpu:"
                                    + ORT_VERSION + ", or leave device at cpu. ONNX Runtime said: " + e.getMessage(),
                            e);
                }
            }
            return session;
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    @Override
    public Output run(long[] ids, long[] mask, long[] types, int rows, int width) {
        long[] shape = {rows, width};
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (String input : inputs) {
                long[] values = switch (input) {
                    case "input_ids" -> ids;
                    case "attention_mask" -> mask;
                    default -> types;
                };
                feed.put(input, OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape));
            }
            try (OrtSession.Result result = session.run(feed, output)) {
                OnnxValue value = result.get(0);
                OnnxTensor tensor = (OnnxTensor) value;
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] out = new float[buffer.remaining()];
                buffer.get(out);
                return new Output(out, tensor.getInfo().getShape());
            }
        } catch (OrtException e) {
            throw new AutoGlmException(
                    "ONNX Runtime failed on a batch of " + rows + " texts of up to " + width + " tokens: "
                            + e.getMessage(),
                    e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.debug("closing the session failed: {}", e.toString());
        }
    }
}
