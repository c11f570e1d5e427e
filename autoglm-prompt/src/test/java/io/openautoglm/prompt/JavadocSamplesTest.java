package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.testing.JavadocSamples;
import io.openautoglm.glm.ChatRequest;
import io.openautoglm.glm.ChatResponse;
import io.openautoglm.glm.GlmClient;
import io.openautoglm.glm.testing.GlmTestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Javadoc samples of this module, compiled and run here (see {@link JavadocSamples}).
 */
class JavadocSamplesTest {

    @Test
    void textGeneratorSampleCompilesRunsAndIsTheOneInTheJavadoc() throws Exception {
        try (GlmTestServer server = GlmTestServer.builder()
                        .apiKey("id.secret")
                        .answerer(c -> "proposal")
                        .build()
                        .start();
                GlmClient client = GlmClient.builder()
                        .apiKey("id.secret")
                        .baseUrl(server.baseUrl())
                        .build()) {
            // sample: TextGenerator
            TextGenerator glm = (prompt, usage) -> {
                ChatResponse r = client.chat(
                        ChatRequest.builder("glm-4-flash").user(prompt).build());
                usage.record(r.usage().promptTokens(), r.usage().completionTokens(), r.cost());
                return r.content();
            };
            // end sample
            UsageMeter usage = new UsageMeter();
            assertEquals("proposal", glm.generate("write an instruction", usage));
            assertTrue(usage.snapshot(java.time.Duration.ZERO).calls() >= 1);
        }
        assertSampleShown("TextGenerator");
    }

    private static void assertSampleShown(String name) {
        JavadocSamples.assertShown(
                Path.of("src/main/java/io/openautoglm/prompt/" + name + ".java"),
                Path.of("src/test/java/io/openautoglm/prompt/JavadocSamplesTest.java"),
                name);
    }
}
