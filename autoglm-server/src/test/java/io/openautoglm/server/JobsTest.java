package io.openautoglm.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Jobs over HTTP: create on a server-side path or an upload, follow by SSE, results, cancel, owners, confinement. */
class JobsTest extends ServerTestBase {
    private String sub;
    private String token;

    @BeforeEach
    void ready() {
        awaitReady();
        sub = subject();
        token = token(sub, SECRET, Instant.now().plusSeconds(600), "user");
    }

    @Test
    void aJobOnAServerSidePathRunsEveryRecordAndReportsItsProgressBySse() throws Exception {
        Answer created = post(
                "/api/v1/jobs",
                token,
                "{\"pipeline\": \"glm\", \"source\": {\"path\": \"feedback.csv\", \"idColumn\": \"id\"}}");
        assertEquals(201, created.status(), created.toString());
        assertEquals(0, created.code());
        String id = created.data().get("id").asText();

        // the event stream: a "job" event at once and at each change, ending when the job has finished
        HttpResponse<Stream<String>> sse = HttpClient.newHttpClient()
                .send(
                        request("/api/v1/jobs/" + id + "/events", token)
                                .header("Accept", "text/event-stream")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, sse.statusCode());
        assertTrue(sse.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<JsonNode> events = new ArrayList<>();
        try (Stream<String> lines = sse.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("data:")) {
                    events.add(JSON.readTree(line.substring(5)));
                }
            }
        }
        assertTrue(!events.isEmpty());
        JsonNode last = events.get(events.size() - 1);
        assertEquals("SUCCEEDED", last.get("state").asText(), events.toString());
        assertEquals(6, last.get("counts").get("processed").asLong());

        JsonNode job = get("/api/v1/jobs/" + id, token).data();
        assertEquals("SUCCEEDED", job.get("state").asText());
        assertEquals(5, job.get("counts").get("succeeded").asLong());
        assertEquals(1, job.get("counts").get("failed").asLong()); // 糟糕: the content filter
        assertTrue(job.get("usage").get("calls").asLong() >= 5);

        HttpResponse<String> results =
                send(request("/api/v1/jobs/" + id + "/results", token).GET()).raw();
        assertEquals(200, results.statusCode());
        assertTrue(results.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"));
        List<JsonNode> lines = new ArrayList<>();
        for (String l : results.body().split("\n")) {
            lines.add(JSON.readTree(l));
        }
        assertEquals(
                Set.of("a", "b", "c", "d", "e", "f"),
                lines.stream().map(n -> n.get("id").asText()).collect(Collectors.toSet()));
        assertEquals(6, lines.size());
        JsonNode d = lines.stream()
                .filter(n -> n.get("id").asText().equals("d"))
                .findFirst()
                .orElseThrow();
        assertEquals("MODEL_REFUSED", d.get("failure").get("kind").asText());
        JsonNode a = lines.stream()
                .filter(n -> n.get("id").asText().equals("a"))
                .findFirst()
                .orElseThrow();
        assertEquals("正面", a.get("label").asText());

        assertEquals(409, delete("/api/v1/jobs/" + id, token).status()); // finished: nothing to cancel
        assertTrue(get("/actuator/prometheus", null).raw().body().contains("autoglm_server_jobs{state=\"succeeded\"}"));
    }

    @Test
    void aJobOnAnUploadedFileWithAnInlineSpec() throws IOException {
        String spec = "{\"version\": 1, \"task\": {\"type\": \"TEXT_CLASSIFICATION\", \"template\": \"判断:{text}\","
                + " \"labels\": [\"正面\", \"负面\"]}, \"model\": {\"name\": \"glm-4-air\", \"options\": {\"baseUrl\": \""
                + GLM.baseUrl() + "\", \"maxAttempts\": 1}}, \"run\": {\"batchSize\": 2}}";
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"job\"\r\nContent-Type: application/json\r\n\r\n"
                + "{\"spec\": " + spec + ", \"source\": {\"textColumn\": \"review\"}}\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"../../reviews.jsonl\"\r\n"
                + "Content-Type: application/x-ndjson\r\n\r\n"
                + "{\"review\": \"好\"}\n{\"review\": \"差\"}\n{\"review\": \"很好\"}\n\r\n"
                + "--" + boundary + "--\r\n";
        // an inline spec resolves its secret references on the server: admins only
        Answer refused = send(request("/api/v1/jobs", token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
        assertEquals(403, refused.status(), refused.toString());
        String admin = token(sub, SECRET, Instant.now().plusSeconds(600), "user", "admin");
        Answer created = send(request("/api/v1/jobs", admin)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
        assertEquals(201, created.status(), created.toString());
        assertEquals("upload:reviews.jsonl", created.data().get("source").asText());
        JsonNode job = awaitFinished(created.data().get("id").asText());
        assertEquals("SUCCEEDED", job.get("state").asText(), job.toString());
        assertEquals(3, job.get("counts").get("succeeded").asLong());
        String results = send(request("/api/v1/jobs/" + job.get("id").asText() + "/results", token)
                        .GET())
                .raw()
                .body();
        // records without an id are numbered by their position in the source
        assertEquals(Set.of("1", "2", "3"), ids(results));
    }

    @Test
    void sourcePathsStayInsideTheDataFolder() {
        for (String path : List.of("../outside.csv", "link.csv", "/etc/passwd", "sub/../../outside.csv")) {
            Answer a = post("/api/v1/jobs", token, "{\"pipeline\": \"glm\", \"source\": {\"path\": \"" + path + "\"}}");
            assertEquals(403, a.status(), path + ": " + a);
            assertEquals(40301, a.code(), path + ": " + a);
            assertTrue(!a.message().contains("秘密"));
        }
        Answer missing = post("/api/v1/jobs", token, "{\"pipeline\": \"glm\", \"source\": {\"path\": \"nope.csv\"}}");
        assertEquals(400, missing.status(), missing.toString());
        assertEquals(40003, missing.code());
        // a fresh subject: five calls spent the test's rate limit
        String more = token("user");
        Answer noPipeline =
                post("/api/v1/jobs", more, "{\"pipeline\": \"nope\", \"source\": {\"path\": \"feedback.csv\"}}");
        assertEquals(40401, noPipeline.code());
        Answer unknownField = post("/api/v1/jobs", more, "{\"pipeline\": \"glm\", \"sauce\": {}}");
        assertEquals(40001, unknownField.code());
        assertTrue(unknownField.message().startsWith("sauce:"), unknownField.message());
    }

    @Test
    void jobsAreTheirOwnersAndAdminsSeeAllAndCancelling() {
        Answer created = post("/api/v1/jobs", token, "{\"pipeline\": \"glm\", \"source\": {\"path\": \"slow.csv\"}}");
        assertEquals(201, created.status(), created.toString());
        String id = created.data().get("id").asText();

        Answer other = get("/api/v1/jobs/" + id, token("user"));
        assertEquals(404, other.status());
        assertEquals(40402, other.code());
        assertEquals(
                404,
                get("/api/v1/jobs/00000000-0000-0000-0000-000000000000", token).status());
        assertEquals(200, get("/api/v1/jobs/" + id, token("admin")).status());
        assertTrue(get("/api/v1/jobs", token("user")).data().isEmpty());

        Answer cancelled = delete("/api/v1/jobs/" + id, token);
        assertEquals(200, cancelled.status(), cancelled.toString());
        JsonNode job = awaitFinished(id);
        assertEquals("CANCELLED", job.get("state").asText(), job.toString());
        assertTrue(job.get("counts").get("processed").asLong() < 8, job.toString());
    }

    private JsonNode awaitFinished(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = get("/api/v1/jobs/" + id, token).data();
            String state = job.get("state").asText();
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                return job;
            }
            sleep(300); // under the test's rate limit of 5 per second
        }
        throw new AssertionError("job " + id + " not finished in 30 s");
    }

    private static Set<String> ids(String jsonl) {
        Set<String> ids = new HashSet<>();
        for (String l : jsonl.split("\n")) {
            try {
                ids.add(JSON.readTree(l).get("id").asText());
            } catch (IOException e) {
                throw new AssertionError(l, e);
            }
        }
        return ids;
    }
}
