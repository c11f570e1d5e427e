package io.openautoglm.local;

import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.ModelProvider;
import io.openautoglm.local.internal.ModelLocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code local} model provider, found through {@link java.util.ServiceLoader}: serves every name that
 * starts with {@code local:}. Loads nothing until {@link #open} is called.
 *
 * <pre>{@code
 * try (Model model = Models.open("local:bge-small-zh", Map.of("maxTokens", "128"))) {
 *     Predictor p = model.predictor(Task.of(spec));
 * }
 * }</pre>
 *
 * <p>Names: {@code local:bge-small-zh} (int8 bge-small-zh-v1.5, the default), {@code local:bge-small-zh-fp32},
 * {@code local:all-minilm-l6-v2}, {@code local:/path/to/folder}. Options: see {@link LocalOptions}.
 * Stateless and thread-safe.
 */
public final class LocalModelProvider implements ModelProvider {

    public LocalModelProvider() {
        // ServiceLoader needs a public no-argument constructor; nothing heavy happens here
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String artifact() {
        return "io.openautoglm:autoglm-local";
    }

    @Override
    public boolean supports(String modelName) {
        return modelName != null
                && modelName.startsWith(ModelLocator.PREFIX)
                && modelName.length() > ModelLocator.PREFIX.length();
    }

    @Override
    public List<String> exampleModels() {
        List<String> names = new ArrayList<>(ModelLocator.knownNames());
        names.add("local:/path/to/model-folder");
        return names;
    }

    @Override
    public Model open(String modelName, Map<String, String> options) {
        return LocalModel.open(modelName, LocalOptions.fromMap(options == null ? Map.of() : options));
    }
}
