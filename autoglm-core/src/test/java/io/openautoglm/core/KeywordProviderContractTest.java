package io.openautoglm.core;

import io.openautoglm.core.spi.ModelProvider;
import io.openautoglm.core.testing.KeywordProvider;
import io.openautoglm.core.testing.ModelProviderContract;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The shared keyword fake keeps the provider contract, as the real providers do. */
class KeywordProviderContractTest extends ModelProviderContract {
    @Override
    protected ModelProvider provider() {
        return new KeywordProvider();
    }

    @Override
    protected String modelName() {
        return "fake:keyword";
    }

    @Override
    protected Map<String, String> openOptions() {
        return Map.of("apiKey", "fake-key-0123456789");
    }

    @Override
    protected Set<TaskType> supportedTasks() {
        return EnumSet.allOf(TaskType.class);
    }
}
