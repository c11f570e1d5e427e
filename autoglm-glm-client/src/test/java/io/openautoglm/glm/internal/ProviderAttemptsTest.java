package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import java.util.List;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

class ProviderAttemptsTest {
    /** maxAttempts=2 should bound the attempts of one record to 2; a stream that breaks before content gets 4. */
    @Test
    void aStreamBrokenBeforeContentIsNotRetriedMoreThanMaxAttempts() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) {
                    return new MockResponse()
                            .setHeader("Content-Type", "text/event-stream")
                            .setBody(
                                    "data: {\"id\":\"s\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n");
                }
            });
            server.start();
            try (TaskPipeline p = TaskPipeline.builder()
                    .taskType(TaskType.TEXT_CLASSIFICATION)
                    .model("glm-4-flash")
                    .modelOption("apiKey", "provider-key-0123456789")
                    .modelOption("baseUrl", server.url("/v4/").toString())
                    .modelOption("stream", "true")
                    .modelOption("maxAttempts", "2")
                    .labels("正面", "负面")
                    .batchSize(1)
                    .concurrency(1)
                    .build()) {
                PipelineResult r = p.run(Dataset.of("x", List.of(TextRecord.of("房间很干净"))));
                assertEquals(0, r.succeeded());
            }
            assertEquals(2, server.getRequestCount(), "HTTP attempts for one record with maxAttempts=2");
        }
    }
}
