package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.glm.testing.GlmTestServer;
import io.openautoglm.glm.testing.GlmTestServer.Fault;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The glm provider's accounting and option checks: one boolean dialect, secrets named, values never repeated. */
class ProviderOptionsAndUsageTest {
    static final String KEY = "provider-test-key-123456";

    /** A network_error answer the provider repeats was reported (and billed) by the server: it must reach usage. */
    @Test
    void repeatedNetworkErrorAnswerIsCountedInPipelineUsage() {
        try (GlmTestServer server = GlmTestServer.builder()
                        .apiKey(KEY)
                        .answerer(c -> "正面")
                        .build()
                        .start();
                TaskPipeline p = TaskPipeline.builder()
                        .taskType(TaskType.TEXT_CLASSIFICATION)
                        .model("glm-4-flash")
                        .modelOption("apiKey", KEY)
                        .modelOption("baseUrl", server.baseUrl())
                        .modelOption("prices", "glm-4-flash=1:1")
                        .labels("正面", "负面")
                        .build()) {
            server.enqueueFault(
                    Fault.STREAM_NETWORK_ERROR); // non-streamed: a 200 answer, finish_reason network_error, with usage
            PipelineResult r = p.run(Dataset.of("d", List.of(TextRecord.of("房间很干净"))));
            assertEquals(1, r.succeeded());
            assertEquals(2, server.requestCount(), "the network_error answer was repeated once");
            // the server reported usage on both answers; the pipeline's usage must be their sum
            assertEquals(2, r.usage().calls(), "usage " + r.usage());
        }
    }

    @Test
    void badBudgetNamesTheOptionKey() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ProviderOptions(Map.of("apiKey", KEY, "budget", "0"))
                        .clientBuilder(k -> null)
                        .build());
        assertTrue(e.getMessage().contains("budget"), e.getMessage());
    }

    @Test
    void theProviderNamesItsSecretOptions() {
        assertTrue(new GlmModelProvider().secretOptions().contains("apiKey"));
        assertEquals(Set.of("apiKey", "backupApiKey"), new GlmModelProvider().secretOptions());
    }

    @Test
    void booleansAreTrueOrFalseOnly() {
        assertTrue(new ProviderOptions(Map.of("stream", " TRUE ")).stream());
        assertFalse(new ProviderOptions(Map.of("stream", "false")).stream());
        for (String other : List.of("yes", "1", "on")) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> new ProviderOptions(Map.of("stream", other)).stream());
            assertEquals("glm model option stream: expected true or false", e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new ProviderOptions(Map.of("apiKey", KEY, "allowInsecureHttp", other))
                            .clientBuilder(k -> null));
            assertEquals("glm model option allowInsecureHttp: expected true or false", e.getMessage());
        }
    }

    @Test
    void aKeyGivenAsAnotherOptionIsNeverRepeated() {
        for (String key : List.of(
                "maxInFlight",
                "budget",
                "budgetTokens",
                "authMode",
                "allowInsecureHttp",
                "prices",
                "connectTimeoutMs")) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new ProviderOptions(Map.of("apiKey", KEY, key, KEY))
                            .clientBuilder(k -> null)
                            .build());
            assertTrue(e.getMessage().startsWith("glm model option " + key + ": "), e.getMessage());
            assertFalse(e.getMessage().contains(KEY), e.getMessage());
        }
        ProviderOptions temperature = new ProviderOptions(Map.of("temperature", KEY));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> temperature.number("temperature", 0, 1));
        assertEquals("glm model option temperature: expected a finite number between 0 and 1", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new ProviderOptions(Map.of("apiKey", KEY, "prices", "glm-4-flash=1:1,glm-4-plus=5:" + KEY))
                        .clientBuilder(k -> null));
        assertTrue(
                e.getMessage().startsWith("glm model option prices: ")
                        && e.getMessage().contains("entry 2"),
                e.getMessage());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
    }

    /**
     * A key put under another option by mistake is never repeated, whichever option it lands in, all the way through
     * a pipeline: the keys are checked at build(), the values when the model opens or the task's predictor is made.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "maxInFlight",
                "stream",
                "budget",
                "prices",
                "budgetTokens",
                "requestsPerMinute",
                "maxAttempts",
                "connectTimeoutMs",
                "readTimeoutMs",
                "callTimeoutMs",
                "streamIdleTimeoutMs",
                "temperature",
                "maxTokens",
                "authMode",
                "allowInsecureHttp",
                "baseUrl",
                "backupBaseUrl"
            })
    void aKeyGivenAsAnOptionIsNeverRepeatedOnTheWayThroughAPipeline(String option) {
        Map<String, String> options =
                new java.util.HashMap<>(Map.of("apiKey", KEY, "baseUrl", "http://127.0.0.1:9/v4/"));
        options.put(option, KEY);
        TaskPipeline.Builder b = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("glm-4-flash")
                .labels("正面", "负面");
        options.forEach(b::modelOption);
        try (TaskPipeline p = b.build()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> p.run(Dataset.of("d", List.of(TextRecord.of("房间很干净")))));
            assertTrue(
                    e.getMessage()
                            .startsWith(option.equals("baseUrl") ? "baseUrl: " : "glm model option " + option + ": "),
                    e.getMessage());
            assertFalse(e.getMessage().contains(KEY), e.getMessage());
        }
    }

    @Test
    void aMisspeltOptionIsRefusedWhenThePipelineIsBuilt() {
        TaskPipeline.Builder b = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("glm-4-flash")
                .modelOption("apiKey", KEY)
                .modelOption("maxInflight", KEY)
                .labels("正面", "负面");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(
                e.getMessage().startsWith("unknown glm model option 'maxInflight'; known: ")
                        && e.getMessage().contains("maxInFlight"),
                e.getMessage());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
    }

    @Test
    void blankValuesCountAsNotGivenAndAuthModeHasItsSpellings() {
        ProviderOptions blank = new ProviderOptions(Map.of("maxInFlight", " ", "stream", "", "system", "  "));
        assertEquals(null, blank.integer("maxInFlight", 1));
        assertFalse(blank.stream());
        assertEquals(null, blank.get("system"));
        for (String mode : List.of("apiKey", "APIKEY", "api_key", "key", "jwt", " JWT ")) {
            new ProviderOptions(Map.of("apiKey", "abcdef123.provider-secret-xyz", "authMode", mode))
                    .clientBuilder(k -> null)
                    .build()
                    .close();
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ProviderOptions(Map.of("apiKey", KEY, "authMode", "oauth")).clientBuilder(k -> null));
        assertEquals("glm model option authMode: expected one of apiKey, jwt, api_key, key", e.getMessage());
    }

    @Test
    void aTokenBudgetBeyondIntRangeIsAccepted() {
        // SpendLimit takes a long; 3 billion tokens is a whole number
        new ProviderOptions(Map.of("apiKey", KEY, "budgetTokens", "3000000000"))
                .clientBuilder(k -> null)
                .build()
                .close();
    }

    @Test
    void nanTemperatureIsRefusedAsAnOptionError() {
        try (GlmTestServer server =
                GlmTestServer.builder().apiKey(KEY).answerer(c -> "正面").build().start()) {
            TaskPipeline.Builder b = TaskPipeline.builder()
                    .taskType(TaskType.TEXT_CLASSIFICATION)
                    .model("glm-4-flash")
                    .modelOption("apiKey", KEY)
                    .modelOption("baseUrl", server.baseUrl())
                    .modelOption("temperature", "NaN")
                    .labels("正面", "负面");
            try (TaskPipeline p = b.build()) {
                IllegalArgumentException e = assertThrows(
                        IllegalArgumentException.class, () -> p.run(Dataset.of("d", List.of(TextRecord.of("房间很干净")))));
                assertTrue(e.getMessage().contains("temperature"), e.getMessage());
            }
        }
    }
}
