package io.openautoglm.core;

import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.ModelProvider;
import java.util.List;
import java.util.Map;

/** A provider that cannot be created, as one whose native library is missing: it must not stop the others. */
public final class BrokenProvider implements ModelProvider {
    public BrokenProvider() {
        throw new IllegalStateException("native library not found");
    }

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public String artifact() {
        return "test";
    }

    @Override
    public boolean supports(String model) {
        return model.startsWith("broken:");
    }

    @Override
    public List<String> exampleModels() {
        return List.of("broken:x");
    }

    @Override
    public Model open(String modelName, Map<String, String> options) {
        throw new AssertionError();
    }
}
