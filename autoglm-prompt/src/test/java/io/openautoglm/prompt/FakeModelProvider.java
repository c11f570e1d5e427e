package io.openautoglm.prompt;

import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.OptionReader;
import io.openautoglm.core.testing.FakeProvider;
import java.util.List;
import java.util.Set;

/**
 * Opens the tests' {@link FakeModel} by name, so that a pipeline spec an optimiser saved runs through the
 * {@code Models} registry: {@code fake}, or {@code fake:careful} for the instruction-sensitive one; option
 * {@code costPerCall} (a cost of at least 0), any other refused. Registered through META-INF/services.
 */
public final class FakeModelProvider extends FakeProvider {

    public FakeModelProvider() {
        super(
                "fake",
                "io.openautoglm:autoglm-prompt (tests)",
                List.of("fake", "fake:careful"),
                Set.of("costPerCall"),
                Set.of());
    }

    @Override
    protected Model open(String modelName, OptionReader options) {
        return new FakeModel(modelName.equals("fake:careful"), options.decimal("costPerCall", 0, 0, Double.MAX_VALUE));
    }
}
