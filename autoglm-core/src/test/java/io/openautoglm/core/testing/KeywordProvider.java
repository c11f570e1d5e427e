package io.openautoglm.core.testing;

import io.openautoglm.core.spi.OptionReader;
import java.util.List;
import java.util.Set;

/**
 * The {@code fake} provider: serves every {@code fake:<anything>} name with a {@link KeywordModel} of that name.
 * Its one option, {@code apiKey}, is read and ignored; it is secret, so that specs and pipelines treat it as they
 * treat a real provider's key. Registered only where a test module lists it in its
 * {@code META-INF/services/io.openautoglm.core.spi.ModelProvider}. Thread-safe.
 */
public final class KeywordProvider extends FakeProvider {

    public KeywordProvider() {
        super(
                "fake",
                "io.openautoglm:autoglm-core:test-fixtures",
                List.of("fake:keyword"),
                Set.of("apiKey"),
                Set.of("apiKey"));
    }

    /** Every name that starts with {@code fake:}. */
    @Override
    public boolean supports(String modelName) {
        return modelName != null && modelName.startsWith("fake:");
    }

    @Override
    protected KeywordModel open(String modelName, OptionReader options) {
        return new KeywordModel(modelName);
    }
}
