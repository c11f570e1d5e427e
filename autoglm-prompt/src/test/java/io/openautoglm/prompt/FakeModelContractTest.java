package io.openautoglm.prompt;

import io.openautoglm.core.TaskType;
import io.openautoglm.core.testing.ModelProviderContract;
import java.util.EnumSet;
import java.util.Map;

/** The optimiser tests' fake keeps the provider contract, as the real providers do; it refuses entity recognition. */
class FakeModelContractTest extends ModelProviderContract {
    FakeModelContractTest() {
        super(
                new FakeModelProvider(),
                "fake",
                Map.of("costPerCall", "0.001"),
                EnumSet.of(TaskType.TEXT_CLASSIFICATION, TaskType.SEMANTIC_MATCHING));
    }
}
