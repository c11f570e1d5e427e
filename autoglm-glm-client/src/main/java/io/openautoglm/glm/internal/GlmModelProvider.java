package io.openautoglm.glm.internal;

import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.ModelProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code glm} model provider: serves {@code glm-*} names (and {@code glm:<name>}) through the GLM API. Found by
 * {@link java.util.ServiceLoader}; opens nothing until {@link #open}.
 */
public final class GlmModelProvider implements ModelProvider {

    public GlmModelProvider() {
        // ServiceLoader needs a public no-argument constructor; nothing is loaded here.
    }

    @Override
    public String name() {
        return "glm";
    }

    @Override
    public String artifact() {
        return "io.openautoglm:autoglm-glm-client";
    }

    @Override
    public boolean supports(String modelName) {
        return modelName != null && (modelName.startsWith("glm-") || modelName.startsWith("glm:"));
    }

    @Override
    public List<String> exampleModels() {
        return List.of("glm-4-flash", "glm-4-plus", "glm-4-air", "glm-4.5");
    }

    /** {@code apiKey} and {@code backupApiKey}: API keys, or {@code id.secret} pairs for JWT. */
    @Override
    public Set<String> secretOptions() {
        return ProviderOptions.SECRET_KEYS;
    }

    /**
     * Refuses unknown keys, so that a misspelt option fails at {@code TaskPipeline.build()}. Values are read when the
     * model opens, with messages that name the key and never the value.
     */
    @Override
    public void checkOptions(Map<String, String> options) {
        new ProviderOptions(options);
    }

    @Override
    public Model open(String modelName, Map<String, String> options) {
        String model = modelName.startsWith("glm:") ? modelName.substring(4) : modelName;
        return new GlmModel(modelName, model, new ProviderOptions(options), System::getenv);
    }
}
