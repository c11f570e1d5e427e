package io.openautoglm.glm;

import io.openautoglm.core.testing.JavadocSamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The GLM client's Javadoc samples, compiled here and checked against the Javadoc (see {@link JavadocSamples}). */
class JavadocSamplesTest {
    private static final Path HERE = Path.of("src/test/java/io/openautoglm/glm/JavadocSamplesTest.java");

    @SuppressWarnings("unused") // compiled, not run: it calls the GLM API with the key from the environment
    private static void glmClientSample() {
        // sample: GlmClient
        try (GlmClient glm = GlmClient.builder().build()) { // key from ZHIPUAI_API_KEY
            ChatResponse r =
                    glm.chat(ChatRequest.builder("glm-4-flash").user("你好").build());
            System.out.println(r.content() + " " + r.usage());
        }
        // end sample
    }

    @SuppressWarnings("unused") // compiled, not run: the client reads its key from the environment
    private static void spendLimitSample() {
        // sample: SpendLimit
        SpendLimit budget = SpendLimit.ofCost(20.0); // 20 CNY with the default price table
        GlmClient client = GlmClient.builder().budget(budget).build();
        // end sample
    }

    @SuppressWarnings("unused")
    private static void chatRequestSample() {
        // sample: ChatRequest
        ChatRequest request = ChatRequest.builder("glm-4-flash")
                .system("You are a terse assistant.")
                .user("Name one prime number.")
                .temperature(0.2)
                .build();
        // end sample
    }

    @SuppressWarnings("unused")
    private static void priceTableSample() {
        // sample: PriceTable
        PriceTable prices = PriceTable.builder("CNY")
                .price("glm-4-plus", 5.0, 5.0)
                .price("glm-4-air", 0.5, 0.5)
                .build();
        // end sample
    }

    @SuppressWarnings("unused")
    private static void retryPolicySample() {
        // sample: RetryPolicy
        RetryPolicy policy = RetryPolicy.builder()
                .maxAttempts(6)
                .initialDelay(Duration.ofSeconds(1))
                .build();
        // end sample
    }

    @SuppressWarnings("unused")
    private static void endpointSample(String keyA, String keyB) {
        // sample: Endpoint
        Endpoint china = Endpoint.builder()
                .name("bigmodel")
                .baseUrl(Endpoint.BIGMODEL)
                .apiKey(keyA)
                .weight(3)
                .build();
        Endpoint intl = Endpoint.builder()
                .name("zai")
                .baseUrl(Endpoint.ZAI)
                .apiKey(keyB)
                .backup(true)
                .build();
        // end sample
    }

    @Test
    void clientClassesShowTheCompiledSamples() {
        for (String name : List.of("GlmClient", "SpendLimit", "ChatRequest", "PriceTable", "RetryPolicy", "Endpoint")) {
            JavadocSamples.assertShown(Path.of("src/main/java/io/openautoglm/glm/" + name + ".java"), HERE, name);
        }
    }
}
