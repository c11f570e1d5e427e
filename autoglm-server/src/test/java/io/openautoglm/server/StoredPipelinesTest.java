package io.openautoglm.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A pipeline registered over the API outlives its server: every registration is kept as a revision in the pipelines
 * folder, and a new server on the same folder serves the latest revision of each, in place of a configured pipeline of
 * the same name, skipping one it can no longer read; one an admin removed stays removed, its revisions kept.
 */
class StoredPipelinesTest {
    private static final String SECRET = "stored-secret-0123456789-abcdefghij-ABCDEFGHIJ";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void registrationsAreKeptAsRevisionsAndANewServerServesTheLatest() throws Exception {
        Path store = dir.resolve("pipelines");
        try (ConfigurableApplicationContext first = start(store)) {
            HttpResponse<String> created =
                    TestHttp.send(first, put(spec("正面", "负面"), "admin"), "/api/v1/pipelines/added");
            assertEquals(201, created.statusCode(), created.body());
            assertEquals(1, data(created).get("revision").asInt(), created.body());
            HttpResponse<String> replaced =
                    TestHttp.send(first, put(spec("好", "坏"), "admin"), "/api/v1/pipelines/added");
            assertEquals(200, replaced.statusCode(), replaced.body());
            assertEquals(2, data(replaced).get("revision").asInt(), replaced.body());
            HttpResponse<String> again = TestHttp.send(first, put(spec("好", "坏"), "admin"), "/api/v1/pipelines/added");
            assertEquals(2, data(again).get("revision").asInt(), "the same spec again adds none: " + again.body());
            HttpResponse<String> refused = TestHttp.send(
                    first, put(spec("好", "坏").replace("labels", "labelz"), "admin"), "/api/v1/pipelines/added");
            assertEquals(400, refused.statusCode(), refused.body());
            // valid as a spec, but its model cannot be opened: refused when registered, after it was stored
            HttpResponse<String> noModel = TestHttp.send(
                    first,
                    put(spec("好", "坏").replace("glm-4-air", "local:" + dir.resolve("no-such-model")), "admin"),
                    "/api/v1/pipelines/added");
            assertEquals(400, noModel.statusCode(), noModel.body());
            assertTrue(noModel.body().contains("no-such-model"), noModel.body());
            HttpResponse<String> badName =
                    TestHttp.send(first, put(spec("好", "坏"), "admin"), "/api/v1/pipelines/.hidden");
            assertEquals(40002, JSON.readTree(badName.body()).get("code").asInt(), badName.body());
            assertTrue(badName.body().contains("pipeline name '.hidden'"), badName.body());
            assertFalse(Files.exists(store.resolve(".hidden")), "a refused name never becomes a folder");
            HttpResponse<String> twin = TestHttp.send(first, put(spec("好", "坏"), "admin"), "/api/v1/pipelines/Added");
            assertEquals(409, twin.statusCode(), "differs in case only from a stored one: " + twin.body());
            HttpResponse<String> over =
                    TestHttp.send(first, put(spec("甲", "乙"), "admin"), "/api/v1/pipelines/configured");
            assertEquals(200, over.statusCode(), "replaces the configured one: " + over.body());

            JsonNode revisions = data(TestHttp.send(first, get("user"), "/api/v1/pipelines/added/revisions"));
            assertEquals(
                    2, revisions.size(), "no revision for a refused spec or one that did not register: " + revisions);
            assertEquals(1, revisions.get(0).get("revision").asInt());
            assertEquals(2, revisions.get(1).get("revision").asInt());
            assertTrue(Instant.parse(revisions.get(1).get("saved").asText())
                    .isAfter(Instant.now().minusSeconds(600)));
            JsonNode one = data(TestHttp.send(first, get("user"), "/api/v1/pipelines/added/revisions/1"));
            assertEquals("正面", one.at("/spec/task/labels/0").asText(), one.toString());

            HttpResponse<String> noRevision = TestHttp.send(first, get("user"), "/api/v1/pipelines/added/revisions/9");
            assertEquals(404, noRevision.statusCode(), noRevision.body());
            assertEquals(40403, JSON.readTree(noRevision.body()).get("code").asInt());
            HttpResponse<String> noPipeline = TestHttp.send(first, get("user"), "/api/v1/pipelines/nosuch/revisions");
            assertEquals(404, noPipeline.statusCode(), noPipeline.body());
            assertEquals(40401, JSON.readTree(noPipeline.body()).get("code").asInt());
            JsonNode configured = data(TestHttp.send(first, get("user"), "/api/v1/pipelines/glm/revisions"));
            assertEquals(0, configured.size(), "a configured pipeline has no stored revision: " + configured);
        }
        // a stored spec that can no longer be read (written by hand, or by a newer server) is skipped
        Files.createDirectories(store.resolve("broken"));
        Files.writeString(store.resolve("broken").resolve("1.json"), "{\"version\": 1, \"task\": ");

        try (ConfigurableApplicationContext second = start(store)) {
            JsonNode added = data(TestHttp.send(second, get("user"), "/api/v1/pipelines/added"));
            assertEquals(2, added.get("revision").asInt(), added.toString());
            assertEquals("好", added.at("/spec/task/labels/0").asText(), added.toString());
            JsonNode configured = data(TestHttp.send(second, get("user"), "/api/v1/pipelines/configured"));
            assertEquals("甲", configured.at("/spec/task/labels/0").asText(), "the stored one wins: " + configured);
            List<String> names = new ArrayList<>();
            data(TestHttp.send(second, get("user"), "/api/v1/pipelines"))
                    .forEach(p -> names.add(p.get("name").asText()));
            assertEquals(List.of("added", "configured", "glm"), names, "the broken one skipped");
            HttpResponse<String> third = TestHttp.send(second, put(spec("正", "负"), "admin"), "/api/v1/pipelines/added");
            assertEquals(3, data(third).get("revision").asInt(), "numbering goes on: " + third.body());
            // a revision edited by hand to hold an inline key reaches no user
            Files.writeString(
                    store.resolve("added").resolve("1.json"),
                    spec("正面", "负面").replace("\"baseUrl\"", "\"apiKey\": \"PLANTEDKEYVALUE\", \"baseUrl\""));
            HttpResponse<String> edited = TestHttp.send(second, get("user"), "/api/v1/pipelines/added/revisions/1");
            assertEquals(400, edited.statusCode(), edited.body());
            assertFalse(edited.body().contains("PLANTEDKEYVALUE"), edited.body());

            HttpResponse<String> byUser = TestHttp.send(second, delete("user"), "/api/v1/pipelines/added");
            assertEquals(403, byUser.statusCode(), "removing is the admin's: " + byUser.body());
            assertTrue(byUser.body().contains("needs role admin"), byUser.body());
            assertEquals(
                    404,
                    TestHttp.send(second, delete("admin"), "/api/v1/pipelines/nosuch")
                            .statusCode(),
                    "nothing of that name");
            HttpResponse<String> skipped = TestHttp.send(second, delete("admin"), "/api/v1/pipelines/broken");
            assertEquals(1, data(skipped).get("revisions").asInt(), "one start-up skipped can be removed too");
            assertTrue(Files.exists(store.resolve("broken").resolve("removed")));
            HttpResponse<String> removed = TestHttp.send(second, delete("admin"), "/api/v1/pipelines/added");
            assertEquals(3, data(removed).get("revisions").asInt(), removed.body());
            assertEquals(
                    404,
                    TestHttp.send(second, get("user"), "/api/v1/pipelines/added")
                            .statusCode());
            JsonNode kept = data(TestHttp.send(second, get("user"), "/api/v1/pipelines/added/revisions"));
            assertEquals(3, kept.size(), "a removed pipeline's revisions stay: " + kept);
        }

        try (ConfigurableApplicationContext third = start(store)) {
            List<String> names = new ArrayList<>();
            data(TestHttp.send(third, get("user"), "/api/v1/pipelines"))
                    .forEach(p -> names.add(p.get("name").asText()));
            assertEquals(List.of("configured", "glm"), names, "a removed pipeline does not come back");
            HttpResponse<String> back = TestHttp.send(third, put(spec("佳", "差"), "admin"), "/api/v1/pipelines/added");
            assertEquals(201, back.statusCode(), back.body());
            assertEquals(4, data(back).get("revision").asInt(), "registered again, from its revisions: " + back.body());
        }
        try (var left = Files.list(store.resolve("added"))) {
            assertFalse(
                    left.anyMatch(f -> !f.getFileName().toString().matches("[1234]\\.json")),
                    "nothing but the revisions is left in the folder (the removal's mark neither)");
        }
    }

    private static String spec(String a, String b) {
        return ("{\"version\": 1, \"task\": {\"type\": \"TEXT_CLASSIFICATION\", \"labels\": [\"%s\", \"%s\"]},"
                        + " \"model\": {\"name\": \"glm-4-air\", \"options\": {\"baseUrl\": \"http://127.0.0.1:9\"}}}")
                .formatted(a, b);
    }

    private ConfigurableApplicationContext start(Path store) {
        return new SpringApplicationBuilder(AutoGlmServer.class)
                .properties(
                        "autoglm.server.jwt.hs256-secret=" + SECRET,
                        "autoglm.glm.api-key=stored-test.NOTAREALKEY",
                        "autoglm.warm-up=false",
                        "autoglm.pipelines.glm=" + spec("是", "否"),
                        "autoglm.pipelines.configured=" + spec("一", "二"),
                        "autoglm.server.pipelines-dir=" + store,
                        "autoglm.server.jobs-dir=" + dir.resolve("jobs"),
                        "autoglm.server.rate-limit.enabled=false")
                .run("--server.port=0"); // an argument: the default properties above yield to application.properties
    }

    private static HttpRequest.Builder put(String body, String role) throws Exception {
        return HttpRequest.newBuilder()
                .header("Authorization", "Bearer " + token(role))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpRequest.Builder delete(String role) {
        return HttpRequest.newBuilder()
                .header("Authorization", "Bearer " + token(role))
                .DELETE();
    }

    private static HttpRequest.Builder get(String role) throws Exception {
        return HttpRequest.newBuilder()
                .header("Authorization", "Bearer " + token(role))
                .GET();
    }

    private static JsonNode data(HttpResponse<String> r) throws Exception {
        assertTrue(r.statusCode() < 300, r.body());
        return JSON.readTree(r.body()).get("data");
    }

    private static String token(String role) {
        return TestHttp.token("storer", SECRET, Instant.now().plusSeconds(600), role);
    }
}
