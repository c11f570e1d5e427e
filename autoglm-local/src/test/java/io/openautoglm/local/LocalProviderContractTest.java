package io.openautoglm.local;

import io.openautoglm.core.TaskType;
import io.openautoglm.core.spi.ModelProvider;
import io.openautoglm.core.testing.ModelProviderContract;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The local provider keeps the provider contract, on the real embedded model (the int8 bge-small-zh from its Maven
 * artifact). Entity recognition is refused: the local models are sentence-embedding models.
 */
class LocalProviderContractTest extends ModelProviderContract {
    @Override
    protected ModelProvider provider() {
        return new LocalModelProvider();
    }

    @Override
    protected String modelName() {
        return "local:bge-small-zh";
    }

    /** Short texts only: a small input limit keeps each test's model quick to open and run. */
    @Override
    protected Map<String, String> openOptions() {
        return Map.of("maxTokens", "64");
    }

    @Override
    protected Set<TaskType> supportedTasks() {
        return EnumSet.of(TaskType.TEXT_CLASSIFICATION, TaskType.SEMANTIC_MATCHING);
    }
}
