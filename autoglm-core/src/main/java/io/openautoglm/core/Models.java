package io.openautoglm.core;

import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.ModelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds model providers on the classpath through {@link ServiceLoader} and opens models by name.
 *
 * <pre>{@code
 * try (Model model = Models.open("local:bge-small-zh")) {
 *     Predictor predictor = model.predictor(Task.of(spec));
 * }
 * }</pre>
 */
public final class Models {
    /** The embedded default: the local engine's quantised bge-small-zh, no API key, no network. */
    public static final String DEFAULT_MODEL = "local:bge-small-zh";

    private Models() {}

    /**
     * Every provider on the classpath of this class's loader that could be created. One that cannot (its
     * class is missing, its constructor throws, a native library is missing) is logged and left out, so that
     * it does not stop the others from serving their models; {@link #open} names it when no provider serves a
     * model.
     */
    public static List<ModelProvider> providers() {
        return discover().found();
    }

    private record Discovery(List<ModelProvider> found, List<String> leftOut) {}

    private static Discovery discover() {
        List<ModelProvider> found = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        java.util.Iterator<ModelProvider> it = ServiceLoader.load(ModelProvider.class, Models.class.getClassLoader())
                .iterator();
        // the lazy iterator goes on to the next provider after an error; the bound guards against one that does not
        for (int errors = 0; errors < 100; ) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (java.util.ServiceConfigurationError | RuntimeException | LinkageError e) {
                errors++;
                leftOut.add(e.getMessage());
                org.slf4j.LoggerFactory.getLogger(Models.class)
                        .warn("a model provider could not be created and is " + "left out: {}", e.toString());
            }
        }
        return new Discovery(found, leftOut);
    }

    /** Opens a model with no options. */
    public static Model open(String modelName) {
        return open(modelName, Map.of());
    }

    /**
     * Opens a model by name with provider options.
     *
     * @throws AutoGlmException when no provider, or more than one, serves the name; the message lists
     *                          the providers found and the module to add
     */
    public static Model open(String modelName, Map<String, String> options) {
        return providerFor(modelName).open(modelName, options);
    }

    /** The one provider serving the name, among those on the classpath; see {@link #open}. */
    static ModelProvider providerFor(String modelName) {
        Discovery d = discover();
        return providerFor(modelName, d.found(), d.leftOut());
    }

    private static ModelProvider providerFor(String modelName, List<ModelProvider> providers, List<String> leftOut) {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("model: a model name is required, e.g. " + DEFAULT_MODEL);
        }
        List<ModelProvider> matching =
                providers.stream().filter(p -> p.supports(modelName)).toList();
        if (matching.size() == 1) {
            return matching.get(0);
        }
        String found = providers.isEmpty()
                ? "none"
                : String.join(
                        "; ",
                        providers.stream()
                                .map(p -> p.name() + " from " + p.artifact() + " (e.g. "
                                        + String.join(", ", p.exampleModels()) + ")")
                                .toList());
        if (matching.isEmpty()) {
            throw new AutoGlmException("No model provider on the classpath serves model " + shown(modelName)
                    + "'. Providers found: " + found + ". " + hint(modelName)
                    + (leftOut.isEmpty() ? "" : " Providers that could not be created: " + leftOut));
        }
        throw new AutoGlmException("Several model providers serve model " + shown(modelName) + ": "
                + matching.stream().map(p -> p.name() + " from " + p.artifact()).toList()
                + ". Remove all but one from the classpath.");
    }

    /** A key pasted where the model name belongs looks like one; such a name is not repeated. */
    private static final java.util.regex.Pattern KEY_LIKE =
            java.util.regex.Pattern.compile("(?i)[0-9a-f]{16,}\\.[0-9a-z]{8,}|sk-[0-9a-z_-]{12,}|[0-9a-z_-]{32,}");

    private static String shown(String modelName) {
        return KEY_LIKE.matcher(modelName.strip()).find()
                ? "(a name that looks like an API key, not shown)"
                : "'" + modelName + "'";
    }

    private static String hint(String modelName) {
        if (modelName.startsWith("glm-") || modelName.startsWith("glm:")) {
            return "GLM models need the io.openautoglm:autoglm-glm-client dependency.";
        }
        if (modelName.startsWith("local:")) {
            return "Local models need the io.openautoglm:autoglm-local dependency.";
        }
        return "Model names look like 'local:bge-small-zh' (add io.openautoglm:autoglm-local) or 'glm-4-flash' "
                + "(add io.openautoglm:autoglm-glm-client).";
    }
}
