package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.glm.testing.GlmTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run given a journal survives a crash: run again, and only what is missing is sent. */
class JournalResumeTest {
    @TempDir
    Path dir;

    static TaskPipeline.Builder pipeline(String baseUrl, String journal) {
        return TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("glm-4-flash")
                .modelOption("apiKey", GlmProviderTest.KEY)
                .modelOption("baseUrl", baseUrl)
                .modelOption("journal", journal)
                .labels("正面", "负面")
                .batchSize(2)
                .concurrency(2);
    }

    static Dataset records(int n) {
        return CrashChild.dataset(n);
    }

    private static GlmTestServer server(Duration latency) {
        return GlmTestServer.builder()
                .apiKey(GlmProviderTest.KEY)
                .latency(latency)
                .answerer(GlmProviderTest::sentiment)
                .build()
                .start();
    }

    @Test
    void aTornJournalResumesWithOnlyTheMissingRecords() throws Exception {
        Path journal = dir.resolve("run.journal");
        try (GlmTestServer server = server(Duration.ZERO)) {
            try (TaskPipeline p = pipeline(server.baseUrl(), journal.toString()).build()) {
                assertEquals(20, p.run(records(20)).succeeded());
            }
            assertEquals(20, server.requestCount());
            // Keep 8 whole lines and half of the 9th, as a crash in the middle of a write would.
            List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
            assertEquals(20, lines.size());
            String torn =
                    String.join("\n", lines.subList(0, 8)) + "\n" + lines.get(8).substring(0, 30);
            Files.writeString(journal, torn, StandardCharsets.UTF_8);

            try (TaskPipeline p = pipeline(server.baseUrl(), journal.toString()).build()) {
                PipelineResult r = p.run(records(20));
                assertEquals(20, r.succeeded());
                assertEquals(12, r.usage().calls(), "only the missing records were paid for");
            }
            assertEquals(32, server.requestCount());
            try (TaskPipeline p = pipeline(server.baseUrl(), journal.toString()).build()) {
                assertEquals(20, p.run(records(20)).succeeded());
            }
            assertEquals(32, server.requestCount(), "a complete journal sends nothing");
        }
    }

    @Test
    void aChangedPromptIsNotAnsweredFromTheJournal() throws Exception {
        Path journal = dir.resolve("run.journal");
        try (GlmTestServer server = server(Duration.ZERO)) {
            try (TaskPipeline p = pipeline(server.baseUrl(), journal.toString()).build()) {
                p.run(records(5));
            }
            try (TaskPipeline p = pipeline(server.baseUrl(), journal.toString())
                    .promptTemplate("情感：{text}")
                    .build()) {
                p.run(records(5));
            }
            assertEquals(10, server.requestCount());
        }
    }

    @Test
    void aSharedCacheAnswersIdenticalRequestsInLaterRuns() {
        Path cache = dir.resolve("cache");
        try (GlmTestServer server = server(Duration.ZERO)) {
            for (int run = 0; run < 2; run++) {
                try (TaskPipeline p = pipeline(
                                server.baseUrl(), dir.resolve("j" + run).toString())
                        .modelOption("cache", cache.toString())
                        .build()) {
                    assertEquals(10, p.run(records(10)).succeeded());
                }
            }
            assertEquals(10, server.requestCount());
        }
    }

    @Test
    void aRunKilledWithSigkillResumesWithoutPayingTwiceForAnyJournaledRecord() throws Exception {
        Path journal = dir.resolve("killed.journal");
        int n = 300;
        try (GlmTestServer server = server(Duration.ofMillis(15))) {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            CrashChild.class.getName(),
                            server.baseUrl(),
                            journal.toString(),
                            String.valueOf(n))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (lineCount(journal) < 40 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
            child.waitFor(10, TimeUnit.SECONDS);
            long sentBeforeKill = server.requestCount();
            Map<String, Integer> beforeResume = new HashMap<>(server.answersByPrompt());
            List<String> journaled = Files.readAllLines(journal, StandardCharsets.UTF_8);
            assertTrue(journaled.size() >= 40 && journaled.size() < n, "killed part-way: " + journaled.size());

            try (TaskPipeline p = pipeline(server.baseUrl(), journal.toString()).build()) {
                PipelineResult r = p.run(records(n));
                assertEquals(n, r.succeeded(), "every record finished after the resume");
                long resumed = server.requestCount() - sentBeforeKill;
                long whole = journaled.stream().filter(l -> l.endsWith("}")).count();
                assertEquals(n - whole, resumed, "the resume sent exactly the records missing from the journal");
            }
            // A record whose answer reached the journal is never answered again; only the few that were in
            // flight at the kill (answered by the server, not yet journaled) can be answered twice.
            Map<String, Integer> after = server.answersByPrompt();
            int paidTwice = 0;
            for (Map.Entry<String, Integer> e : after.entrySet()) {
                if (e.getValue() > 1) {
                    paidTwice++;
                }
            }
            assertTrue(paidTwice <= 4, "at most the requests in flight at the kill: " + paidTwice);
            assertEquals(n, after.size());
            assertTrue(beforeResume.size() >= journaled.size() - 1);
        }
    }

    private static long lineCount(Path f) {
        try {
            return Files.exists(f)
                    ? Files.readAllLines(f, StandardCharsets.UTF_8).size()
                    : 0;
        } catch (Exception e) {
            return 0;
        }
    }
}
