package io.openautoglm.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.glm.testing.GlmTestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A job survives its server: the application stops in the middle of a job (the job runner is interrupted, as by a
 * shutdown or a kill), a new one starts on the same jobs folder, and the job goes on to the end with every record
 * exactly once, while the GLM server is asked again for no record it had already answered.
 */
class JobResumeTest {
    private static final String SECRET = "resume-secret-0123456789-abcdefghij-ABCDEFGHIJ";
    private static final String KEY = "resume-test.PLANTEDKEYVALUE";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECORDS = 12;

    private static final Map<String, AtomicInteger> ASKED = new ConcurrentHashMap<>();
    private static final CountDownLatch SIXTH_ASKED = new CountDownLatch(1);
    private static final AtomicBoolean FIRST = new AtomicBoolean(true);
    private static final GlmTestServer GLM = GlmTestServer.builder()
            .apiKey(KEY)
            .answerer(call -> {
                java.util.regex.Matcher m =
                        java.util.regex.Pattern.compile("评论\\d+").matcher(call.lastUserMessage());
                String record = m.find() ? m.group() : call.lastUserMessage();
                ASKED.computeIfAbsent(record, r -> new AtomicInteger()).incrementAndGet();
                if (record.equals("评论6") && FIRST.getAndSet(false)) {
                    SIXTH_ASKED.countDown();
                    ServerTestBase.sleep(1500); // in flight when the server stops
                }
                return "正面";
            })
            .build()
            .start();

    @TempDir
    Path dir;

    @AfterAll
    static void stopGlm() {
        GLM.close();
    }

    @Test
    void anInterruptedJobResumesOnTheSameJobsFolderWithoutPayingTwice() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        StringBuilder csv = new StringBuilder("id,text\n");
        for (int i = 1; i <= RECORDS; i++) {
            csv.append("r").append(i).append(",评论").append(i).append('\n');
        }
        Files.writeString(data.resolve("reviews.csv"), csv);
        String token = token();

        String id;
        try (ConfigurableApplicationContext first = start(data)) {
            HttpResponse<String> created = TestHttp.send(
                    first,
                    HttpRequest.newBuilder()
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            "{\"pipeline\": \"glm\", \"source\": {\"path\": \"reviews.csv\", \"idColumn\": \"id\"}}")),
                    "/api/v1/jobs");
            assertEquals(201, created.statusCode(), created.body());
            id = JSON.readTree(created.body()).get("data").get("id").asText();
            assertTrue(SIXTH_ASKED.await(30, TimeUnit.SECONDS), "the job never reached record 6");
        } // stops mid-job: the runner is interrupted, the job stays unfinished on disk

        Path jobDir = dir.resolve("jobs").resolve(id);
        JsonNode saved = JSON.readTree(jobDir.resolve("state.json").toFile());
        assertTrue(List.of("QUEUED", "RUNNING").contains(saved.get("state").asText()), "unfinished on disk: " + saved);
        long before = Files.readAllLines(jobDir.resolve("results.jsonl")).size();
        assertTrue(before < RECORDS, "some records were left for the restart: " + before);
        assertTrue(Files.exists(jobDir.resolve("glm.journal")), "the GLM journal of paid answers");
        // as a kill -9 in the middle of a write leaves it: a torn last line, and the state still RUNNING
        Files.writeString(jobDir.resolve("results.jsonl"), "{\"id\": \"r", StandardOpenOption.APPEND);
        Files.writeString(
                jobDir.resolve("state.json"),
                Files.readString(jobDir.resolve("state.json")).replace("\"QUEUED\"", "\"RUNNING\""));

        try (ConfigurableApplicationContext second = start(data)) {
            JsonNode job = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r = TestHttp.send(
                        second,
                        HttpRequest.newBuilder()
                                .header("Authorization", "Bearer " + token)
                                .GET(),
                        "/api/v1/jobs/" + id);
                assertEquals(200, r.statusCode(), r.body());
                job = JSON.readTree(r.body()).get("data");
                if (job.get("state").asText().equals("SUCCEEDED")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals("SUCCEEDED", job.get("state").asText(), String.valueOf(job));
            assertEquals(1, job.get("resumes").asInt());
            assertEquals(RECORDS, job.get("counts").get("succeeded").asLong());

            List<String> lines = Files.readAllLines(jobDir.resolve("results.jsonl"));
            List<String> ids = new ArrayList<>();
            for (String l : lines) {
                ids.add(JSON.readTree(l).get("id").asText());
            }
            assertEquals(RECORDS, ids.size(), "every record exactly once: " + ids);
            assertEquals(RECORDS, new java.util.HashSet<>(ids).size(), "every record exactly once: " + ids);
        }
        // no record was asked twice, save the one in flight when the server stopped
        Map<String, Integer> asked = new HashMap<>();
        ASKED.forEach((k, v) -> asked.put(k, v.get()));
        assertEquals(RECORDS, asked.size(), asked.toString());
        for (Map.Entry<String, Integer> e : asked.entrySet()) {
            int most = e.getKey().equals("评论6") ? 2 : 1;
            assertTrue(e.getValue() <= most, "asked again: " + asked);
        }
    }

    private ConfigurableApplicationContext start(Path data) {
        String spec = ("{\"version\": 1, \"task\": {\"type\": \"TEXT_CLASSIFICATION\", \"template\": \"{text}\","
                        + " \"labels\": [\"正面\", \"负面\"]}, \"model\": {\"name\": \"glm-4-air\", \"options\":"
                        + " {\"baseUrl\": \"%s\", \"maxAttempts\": 1}}, \"run\": {\"batchSize\": 1, \"concurrency\": 2}}")
                .formatted(GLM.baseUrl());
        return new SpringApplicationBuilder(AutoGlmServer.class)
                .properties(
                        "autoglm.server.jwt.hs256-secret=" + SECRET,
                        "autoglm.glm.api-key=" + KEY,
                        "autoglm.pipelines.glm=" + spec,
                        "autoglm.server.data-dir=" + data,
                        "autoglm.server.jobs-dir=" + dir.resolve("jobs"),
                        "autoglm.server.pipelines-dir=" + dir.resolve("pipelines"),
                        "autoglm.server.rate-limit.enabled=false")
                .run("--server.port=0"); // an argument: the default properties above yield to application.properties
    }

    private static String token() {
        return TestHttp.token("resumer", SECRET, Instant.now().plusSeconds(600), "user");
    }
}
