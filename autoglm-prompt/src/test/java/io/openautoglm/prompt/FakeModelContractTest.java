package io.openautoglm.prompt;

import io.openautoglm.core.TaskType;
import io.openautoglm.core.spi.ModelProvider;
import io.openautoglm.core.testing.ModelProviderContract;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The optimiser tests' fake keeps the provider contract, as the real providers do. */
class FakeModelContractTest extends ModelProviderContract {
    @Override
    protected ModelProvider provider() {
        return new FakeModelProvider();
    }

    @Override
    protected String modelName() {
        return "fake";
    }

    @Override
    protected Map<String, String> openOptions() {
        return Map.of("costPerCall", "0.001");
    }

    @Override
    protected Set<TaskType> supportedTasks() {
        return EnumSet.of(TaskType.TEXT_CLASSIFICATION, TaskType.SEMANTIC_MATCHING);
    }
}
