package io.openautoglm.local;

import io.openautoglm.core.TaskType;
import io.openautoglm.core.testing.ModelProviderContract;
import java.util.EnumSet;
import java.util.Map;

/**
 * The local provider keeps the provider contract, on the real embedded model (the int8 bge-small-zh from its Maven
 * artifact), with a small input limit so that each test's model is quick to open and run. Entity recognition is
 * refused: the local models are sentence-embedding models.
 */
class LocalProviderContractTest extends ModelProviderContract {
    LocalProviderContractTest() {
        super(
                new LocalModelProvider(),
                "local:bge-small-zh",
                Map.of("maxTokens", "64"),
                EnumSet.of(TaskType.TEXT_CLASSIFICATION, TaskType.SEMANTIC_MATCHING));
    }
}
