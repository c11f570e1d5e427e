package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Task;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.testing.ModelProviderContract;
import io.openautoglm.glm.testing.GlmTestServer;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GLM provider keeps the provider contract, against the GLM-protocol test server: a primary endpoint that answers
 * and a backup one with its own key, so that both secret options ({@code apiKey}, {@code backupApiKey}) are given.
 */
class GlmProviderContractTest extends ModelProviderContract {
    private static final String KEY = "contract-primary-key-123456";
    private static final String BACKUP_KEY = "contract-backup-key-654321";
    private static GlmTestServer primary;
    private static GlmTestServer backup;

    /** Runs after {@link #startServers()}, which JUnit calls before it creates the test instance. */
    GlmProviderContractTest() {
        super(
                new GlmModelProvider(),
                "glm-4-flash",
                Map.of(
                        "apiKey",
                        KEY,
                        "baseUrl",
                        primary.baseUrl(),
                        "backupApiKey",
                        BACKUP_KEY,
                        "backupBaseUrl",
                        backup.baseUrl(),
                        "maxAttempts",
                        "1"),
                EnumSet.allOf(TaskType.class));
    }

    /** Answers as GLM would: entities as JSON when asked for JSON, yes or no for a pair, else a sentiment label. */
    static String answer(GlmTestServer.ChatCall c) {
        String prompt = c.lastUserMessage();
        if (c.body().path("response_format").path("type").asText().equals("json_object")) {
            return prompt.contains("北京")
                    ? "{\"entities\":[{\"type\":\"LOC\",\"mention\":\"北京\"}]}"
                    : "{\"entities\":[]}";
        }
        if (prompt.contains("“是”或“否”") || prompt.contains("\"yes\" or \"no\"")) {
            return prompt.contains("猫") ? "否" : "是";
        }
        return prompt.contains("差") ? "负面" : "正面";
    }

    @BeforeAll
    static void startServers() {
        primary = GlmTestServer.builder()
                .apiKey(KEY)
                .answerer(GlmProviderContractTest::answer)
                .build()
                .start();
        backup = GlmTestServer.builder()
                .apiKey(BACKUP_KEY)
                .answerer(GlmProviderContractTest::answer)
                .build()
                .start();
    }

    @AfterAll
    static void stopServers() {
        if (primary != null) {
            primary.close();
        }
        if (backup != null) {
            backup.close();
        }
    }

    /** The server answers every record the contract sends, so that the contract checks parsed predictions. */
    @Test
    void theServerAnswersEveryRecordOfTheContract() {
        try (Model model = provider().open(modelName(), openOptions())) {
            for (TaskType type : supportedTasks()) {
                List<Outcome> outcomes =
                        model.predictor(Task.of(taskSpec(type))).predict(records(type), new UsageMeter());
                outcomes.forEach(o -> assertTrue(o.succeeded(), type + ": " + o));
            }
        }
    }
}
