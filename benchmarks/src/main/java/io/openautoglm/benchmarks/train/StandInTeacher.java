package io.openautoglm.benchmarks.train;

import io.openautoglm.core.PipelineSpec;
import io.openautoglm.glm.testing.GlmTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The GLM-protocol test server as a scripted teacher for the distillation benchmarks: it reads the text out of each
 * prompt (between the template's prefix and the format the task appends after it) and answers what the script says
 * for that text, so that the answers reach the student through the GLM provider, its journal and the {@code Distiller}
 * as a real GLM's would. A text the script does not know gets {@code unknownAnswer}, which the task cannot read: a
 * failed record, counted here and reported.
 */
final class StandInTeacher implements AutoCloseable {
    private static final String KEY = "stand-in-teacher.localonly";

    private final GlmTestServer server;
    private final Path keyFile;
    private final AtomicLong unknown = new AtomicLong();

    /**
     * @param promptPrefix  the prompt template's text before {@code {text}}
     * @param promptEnd     the start of what the task appends after the text
     * @param answers       the script: the answer for a text, or {@code null} for one it does not know
     * @param unknownAnswer the answer to an unknown text
     */
    StandInTeacher(String promptPrefix, String promptEnd, Function<String, String> answers, String unknownAnswer)
            throws IOException {
        keyFile = Files.createTempFile("stand-in-teacher", ".key");
        Files.writeString(keyFile, KEY);
        server = GlmTestServer.builder()
                .apiKey(KEY)
                .answerer(call -> {
                    String m = call.lastUserMessage();
                    int end = m.lastIndexOf(promptEnd);
                    String a = answers.apply(m.substring(promptPrefix.length(), end < 0 ? m.length() : end));
                    if (a == null) {
                        unknown.incrementAndGet();
                        return unknownAnswer;
                    }
                    return a;
                })
                .build()
                .start();
    }

    /** The teacher as a spec's model: glm-4-flash at this server, its key from a file, 16 calls in flight. */
    PipelineSpec.ModelRef model() {
        return new PipelineSpec.ModelRef(
                "glm-4-flash",
                Map.of(
                        "apiKey",
                        "${file:" + keyFile.toAbsolutePath() + "}",
                        "baseUrl",
                        server.baseUrl(),
                        "maxInFlight",
                        "16"));
    }

    /** Prompts whose text the script did not know. */
    long unknown() {
        return unknown.get();
    }

    /** Requests the server has seen. */
    long requests() {
        return server.requestCount();
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(keyFile);
    }
}
