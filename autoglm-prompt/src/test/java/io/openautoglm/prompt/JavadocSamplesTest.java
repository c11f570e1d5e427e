package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.UsageMeter;
import io.openautoglm.glm.ChatRequest;
import io.openautoglm.glm.ChatResponse;
import io.openautoglm.glm.GlmClient;
import io.openautoglm.glm.testing.GlmTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Javadoc samples of this module, compiled and run here: each sample's code stands between {@code // sample}
 * markers below, and the test checks the Javadoc shows exactly that code, so a sample cannot call what does not
 * exist.
 */
class JavadocSamplesTest {

    @Test
    void textGeneratorSampleCompilesRunsAndIsTheOneInTheJavadoc() throws Exception {
        try (GlmTestServer server = GlmTestServer.builder().apiKey("id.secret").answerer(c -> "proposal").build().start();
             GlmClient client = GlmClient.builder().apiKey("id.secret").baseUrl(server.baseUrl()).build()) {
            // sample: TextGenerator
            TextGenerator glm = (prompt, usage) -> {
                ChatResponse r = client.chat(ChatRequest.builder("glm-4-flash").user(prompt).build());
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

    /** The code between this file's markers for {@code name} equals the first Javadoc sample of that class. */
    private static void assertSampleShown(String name) throws Exception {
        String test = Files.readString(Path.of("src/test/java/io/openautoglm/prompt/JavadocSamplesTest.java"),
                StandardCharsets.UTF_8);
        Matcher region = Pattern.compile("// sample: " + name + "\n(.*?)\n\\s*// end sample", Pattern.DOTALL)
                .matcher(test);
        assertTrue(region.find(), "no sample region for " + name);
        String main = Files.readString(Path.of("src/main/java/io/openautoglm/prompt/" + name + ".java"),
                StandardCharsets.UTF_8);
        Matcher doc = Pattern.compile("<pre>\\{@code\n(.*?)\n \\* }</pre>", Pattern.DOTALL).matcher(main);
        assertTrue(doc.find(), "no Javadoc sample in " + name);
        assertEquals(normalise(region.group(1).replaceAll("(?m)^\\s*// .*\n", "")),
                normalise(doc.group(1).replaceAll("(?m)^ \\* ?", "")),
                name + "'s Javadoc sample differs from the compiled one in JavadocSamplesTest");
    }

    private static String normalise(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
