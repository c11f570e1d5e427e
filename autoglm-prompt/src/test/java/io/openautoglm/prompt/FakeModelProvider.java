package io.openautoglm.prompt;

import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.ModelProvider;
import java.util.List;
import java.util.Map;

/**
 * Opens the tests' {@link FakeModel} by name, so that a pipeline spec an optimiser saved runs through the
 * {@code Models} registry: {@code fake}, or {@code fake:careful} for the instruction-sensitive one; option
 * {@code costPerCall}. Registered through META-INF/services.
 */
public final class FakeModelProvider implements ModelProvider {
    @Override public String name() { return "fake"; }

    @Override public String artifact() { return "io.openautoglm:autoglm-prompt (tests)"; }

    @Override public boolean supports(String modelName) {
        return modelName.equals("fake") || modelName.equals("fake:careful");
    }

    @Override public List<String> exampleModels() { return List.of("fake", "fake:careful"); }

    @Override
    public Model open(String modelName, Map<String, String> options) {
        return new FakeModel(modelName.equals("fake:careful"), Double.parseDouble(options.getOrDefault("costPerCall", "0")));
    }
}
