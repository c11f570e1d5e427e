package io.openautoglm.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.glm.testing.GlmTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one server configuration the HTTP tests share, so that Spring starts it once for all of them: three pipelines
 * (a local one from a spec file on the int8 bge-small-zh; two GLM ones inline against {@link GlmTestServer}, one of
 * which fails while {@link #FAILING} is set), small limits so that each protection can be reached, and helpers to
 * mint tokens and call the server with {@link HttpClient}.
 */
// Spring Boot's tests export no metrics unless asked: the Prometheus endpoint is part of what is tested here
@AutoConfigureObservability(tracing = false)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "autoglm.server.jwt.hs256-secret=" + ServerTestBase.SECRET,
            "autoglm.server.rate-limit.per-second=5",
            "autoglm.server.rate-limit.burst=5",
            "autoglm.server.predict.max-records=5",
            "autoglm.server.max-body-size=64KB",
            "autoglm.server.bulkhead.max-concurrent=2",
            "autoglm.server.bulkhead.max-queued=1",
            "autoglm.server.bulkhead.max-wait=300ms",
            "autoglm.circuit-breaker.minimum-number-of-calls=2",
            "autoglm.circuit-breaker.sliding-window-size=2",
            "autoglm.circuit-breaker.wait-duration-in-open-state=2s",
            "autoglm.circuit-breaker.permitted-calls-in-half-open-state=1",
            "autoglm.glm.api-key=" + ServerTestBase.GLM_KEY,
            "logging.level.io.openautoglm=DEBUG"
        })
abstract class ServerTestBase {
    static final String SECRET = "test-secret-0123456789-abcdefghij-ABCDEFGHIJ";
    static final String GLM_KEY = "server-test.PLANTEDKEYVALUE";
    /** While set, the GLM test server answers the flaky pipeline's model (glm-4-flash) with HTTP 500. */
    static final AtomicBoolean FAILING = new AtomicBoolean();

    static final ObjectMapper JSON = new ObjectMapper();
    static final GlmTestServer GLM = GlmTestServer.builder()
            .apiKey(GLM_KEY)
            .faultRule(call -> call.model().equals("glm-4-flash") && FAILING.get()
                    ? GlmTestServer.Fault.SERVER_500
                    : call.lastUserMessage().contains("糟糕") ? GlmTestServer.Fault.CONTENT_FILTER_1301 : null)
            .answerer(call -> {
                if (call.lastUserMessage().contains("慢")) {
                    sleep(1500);
                }
                return call.lastUserMessage().contains("好") ? "正面" : "负面";
            })
            .build()
            .start();

    private static final AtomicInteger SUBJECTS = new AtomicInteger();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void pipelines(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("autoglm-server-test");
        Path local = Files.writeString(dir.resolve("local.json"), """
                {"version": 1,
                 "task": {"type": "TEXT_CLASSIFICATION", "template": "判断以下用户反馈的情感倾向:{text}",
                          "labels": ["正面", "负面", "中性"]},
                 "model": {"name": "local:bge-small-zh"}}
                """);
        registry.add("autoglm.pipelines.local", local::toString);
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("feedback.csv"), "id,text\na,很好\nb,不行\nc,真好\nd,糟糕\ne,好极了\nf,一般\n");
        Files.writeString(data.resolve("slow.csv"), "text\n慢1\n慢2\n慢3\n慢4\n慢5\n慢6\n慢7\n慢8\n");
        Files.writeString(dir.resolve("outside.csv"), "text\n秘密\n");
        Files.createSymbolicLink(data.resolve("link.csv"), dir.resolve("outside.csv"));
        registry.add("autoglm.server.data-dir", data::toString);
        registry.add("autoglm.server.jobs-dir", () -> dir.resolve("jobs").toString());
        registry.add(
                "autoglm.server.pipelines-dir", () -> dir.resolve("pipelines").toString());
        registry.add("autoglm.pipelines.glm", () -> glmSpec("glm-4-air"));
        registry.add("autoglm.pipelines.flaky", () -> glmSpec("glm-4-flash"));
    }

    /** An inline GLM spec: one record per call, no retries, the key from autoglm.glm.api-key. */
    private static String glmSpec(String model) {
        return """
                {"version": 1,
                 "task": {"type": "TEXT_CLASSIFICATION", "template": "判断以下用户反馈的情感倾向:{text}",
                          "labels": ["正面", "负面"]},
                 "model": {"name": "%s", "options": {"baseUrl": "%s", "maxAttempts": 1}},
                 "run": {"batchSize": 1, "concurrency": 2}}
                """.formatted(model, GLM.baseUrl()).replace("\n", " ");
    }

    // ---- tokens ----

    /** A fresh subject, so that one test's requests never spend another's rate limit. */
    static String subject() {
        return "tester-" + SUBJECTS.incrementAndGet();
    }

    static String token(String... roles) {
        return token(subject(), SECRET, Instant.now().plusSeconds(600), roles);
    }

    static String token(String sub, String secret, Instant expires, String... roles) {
        return TestHttp.token(sub, secret, expires, roles);
    }

    // ---- calls ----

    /** An answer: status, headers and the body, parsed when it is JSON. */
    record Answer(int status, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + raw.body(), e);
            }
        }

        int code() {
            return json().get("code").asInt();
        }

        JsonNode data() {
            return json().get("data");
        }

        String message() {
            return json().get("message").asText();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    Answer get(String path, String token) {
        return send(request(path, token).GET());
    }

    Answer post(String path, String token, String body) {
        return send(request(path, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    Answer put(String path, String token, String body) {
        return send(request(path, token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer predict(String pipeline, String token, String recordsJson) {
        return post("/api/v1/pipelines/" + pipeline + "/predict", token, "{\"records\": " + recordsJson + "}");
    }

    HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until every pipeline has prepared its model: the tests run against a ready server. */
    void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (get("/actuator/health/readiness", null).status() == 200) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("not ready in 60 s: " + get("/actuator/health/readiness", null));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
