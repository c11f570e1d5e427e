package io.openautoglm.core;

import io.openautoglm.core.testing.KeywordProvider;
import io.openautoglm.core.testing.ModelProviderContract;
import java.util.EnumSet;
import java.util.Map;

/** The shared keyword fake keeps the provider contract, as the real providers do, for every task type. */
class KeywordProviderContractTest extends ModelProviderContract {
    KeywordProviderContractTest() {
        super(
                new KeywordProvider(),
                "fake:keyword",
                Map.of("apiKey", "fake-key-0123456789"),
                EnumSet.allOf(TaskType.class));
    }
}
