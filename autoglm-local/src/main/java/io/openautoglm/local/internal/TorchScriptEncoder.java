package io.openautoglm.local.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.openautoglm.core.AutoGlmException;
import io.openautoglm.local.LocalOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A TorchScript {@code model.pt} on DJL's PyTorch engine, which the application adds (see docs/local-engine.md).
 * TorchScript takes positional inputs: traced HuggingFace encoders take ids and mask. Thread-safe: each pass
 * borrows a predictor from a pool.
 */
final class TorchScriptEncoder implements Encoder {
    private static final String ENGINE = "PyTorch";

    private final String name;
    private final Model model;
    private final ConcurrentLinkedDeque<Predictor<NDList, NDList>> idle = new ConcurrentLinkedDeque<>();
    private final List<Predictor<NDList, NDList>> all = new ArrayList<>();

    private TorchScriptEncoder(String name, Model model) {
        this.name = name;
        this.model = model;
    }

    /**
     * Loads {@code modelFile} on the PyTorch engine.
     *
     * @throws AutoGlmException when the engine is not on the classpath or cannot start (the message names the
     *                          artifacts to add), or the model cannot be read
     */
    static TorchScriptEncoder open(String modelName, Path modelFile, LocalOptions options) {
        if (!Engine.getAllEngines().contains(ENGINE)) {
            throw new AutoGlmException("Model '" + modelName + "' (" + modelFile
                    + ") needs DJL's PyTorch engine, which " + "is not on the classpath (engines found: "
                    + Engine.getAllEngines() + "). " + artifacts());
        }
        try {
            Engine.getEngine(ENGINE);
        } catch (EngineException e) {
            throw new AutoGlmException(
                    "DJL's PyTorch engine, needed by model '" + modelName + "', did not start: " + e.getMessage() + ". "
                            + artifacts(),
                    e);
        }
        Device device = options.gpu() ? Device.gpu(options.gpuIndex()) : Device.cpu();
        Model model = Model.newInstance(modelName, device, ENGINE);
        try {
            model.load(modelFile.getParent(), modelFile.getFileName().toString().replaceFirst("\\.pt$", ""));
            return new TorchScriptEncoder(modelName, model);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new AutoGlmException(
                    "Could not load model '" + modelName + "' from " + modelFile + ": " + e.getMessage(), e);
        }
    }

    /** What to add for the PyTorch engine: the engine, and offline its natives for this platform. */
    static String artifacts() {
        return "Add ai.djl.pytorch:pytorch-engine and, to run offline (ai.djl.offline=true), its natives for this "
                + "platform: ai.djl.pytorch:pytorch-native-cpu with classifier " + platform()
                + " and ai.djl.pytorch:pytorch-jni (versions pinned by the Open-AutoGLM parent POM: 0.36.0, 2.7.1 "
                + "and 2.7.1-0.36.0; see docs/local-engine.md).";
    }

    /** DJL's name for this platform, as in the native artifacts' classifiers: linux-x86_64, osx-aarch64, … */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String prefix = os.startsWith("win") ? "win" : os.startsWith("mac") ? "osx" : "linux";
        return prefix + "-" + (arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch);
    }

    @Override
    public Output run(long[] ids, long[] mask, long[] types, int rows, int width) {
        Predictor<NDList, NDList> predictor = borrow();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            Shape shape = new Shape(rows, width);
            NDList output = predictor.predict(new NDList(manager.create(ids, shape), manager.create(mask, shape)));
            NDArray chosen = null;
            for (NDArray a : output) {
                if (a.getShape().dimension() == 3) {
                    chosen = a;
                    break;
                }
            }
            if (chosen == null) {
                chosen = output.get(0);
            }
            return new Output(chosen.toFloatArray(), chosen.getShape().getShape());
        } catch (TranslateException e) {
            throw new AutoGlmException(
                    "Forward pass of " + name + " failed on a batch of " + rows + " texts of up to " + width
                            + " tokens: " + e.getMessage(),
                    e);
        } finally {
            idle.push(predictor);
        }
    }

    private Predictor<NDList, NDList> borrow() {
        Predictor<NDList, NDList> p = idle.poll();
        if (p != null) {
            return p;
        }
        p = model.newPredictor(new NoopTranslator());
        synchronized (all) {
            all.add(p);
        }
        return p;
    }

    @Override
    public void close() {
        synchronized (all) {
            all.forEach(Predictor::close);
            all.clear();
        }
        idle.clear();
        model.close();
    }
}
