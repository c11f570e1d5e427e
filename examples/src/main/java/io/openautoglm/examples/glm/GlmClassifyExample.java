package io.openautoglm.examples.glm;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.glm.ChatRequest;
import io.openautoglm.glm.ChatResponse;
import io.openautoglm.glm.GlmClient;
import io.openautoglm.glm.testing.GlmTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Sentiment classification on GLM through the pipeline, with a run journal, and one direct client call.
 * With {@code ZHIPUAI_API_KEY} set it calls the real API ({@code ZHIPUAI_BASE_URL} or BigModel); without it, it
 * starts the local GLM-protocol test server on 127.0.0.1 and runs against that, so it works offline.
 *
 * <pre>
 * java -cp "examples/target/classes:$(cat /tmp/examples.cp)" io.openautoglm.examples.glm.GlmClassifyExample
 * </pre>
 */
public final class GlmClassifyExample {
    private GlmClassifyExample() {}

    public static void main(String[] args) throws Exception {
        String key = System.getenv(GlmClient.ENV_API_KEY);
        GlmTestServer local = null;
        String baseUrl = System.getenv(GlmClient.ENV_BASE_URL);
        if (key == null || key.isBlank()) {
            local = GlmTestServer.builder().answerer(GlmBench::answer).build().start();
            key = GlmBench.KEY;
            baseUrl = local.baseUrl();
            System.out.println("ZHIPUAI_API_KEY is not set: using the local GLM test server at " + baseUrl);
        }
        Path journal = Files.createTempFile("glm-example-", ".journal");
        try {
            TaskPipeline.Builder builder = TaskPipeline.builder()
                    .taskType(TaskType.TEXT_CLASSIFICATION)
                    .model("glm-4-flash")
                    .modelOption("apiKey", key)
                    .modelOption("maxInFlight", "4")
                    .modelOption("journal", journal.toString())
                    .promptTemplate("判断以下用户反馈的情感倾向:{text}")
                    .labels("正面", "负面", "中性")
                    .batchSize(4)
                    .concurrency(1);
            if (baseUrl != null) {
                builder.modelOption("baseUrl", baseUrl);
            }
            Dataset feedback = Dataset.of(
                    "feedback",
                    List.of(
                            TextRecord.of("房间很干净，服务热情", "正面"),
                            TextRecord.of("隔壁太吵了，一晚没睡好", "负面"),
                            TextRecord.of("早餐还行", "中性"),
                            TextRecord.of("价格偏贵，不过位置方便", "负面")));
            try (TaskPipeline pipeline = builder.build()) {
                PipelineResult result = pipeline.run(feedback);
                for (RecordResult r : result.results()) {
                    System.out.println(r.record().text() + " -> "
                            + (r.succeeded() ? r.prediction() : "FAILED: " + r.failure()) + "   raw: " + r.raw());
                }
                System.out.print(result.summary());
            }
            try (GlmClient glm =
                    GlmClient.builder().apiKey(key).baseUrl(baseUrl).build()) {
                ChatResponse r = glm.chat(
                        ChatRequest.builder("glm-4-flash").user("用一句话介绍杭州").build());
                System.out.println(
                        "chat: " + r.content() + " (" + r.usage().totalTokens() + " tokens, " + r.finishReason() + ")");
            }
        } finally {
            Files.deleteIfExists(journal);
            if (local != null) {
                local.close();
            }
        }
    }
}
