package io.openautoglm.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Describing, registering and validating pipelines; the metrics in Prometheus's format; health groups. */
class AdminAndMetricsTest extends ServerTestBase {
    private static final String KEYWORDS = """
            {"version": 1,
             "task": {"type": "TEXT_CLASSIFICATION", "labels": ["正面", "负面"]},
             "model": {"name": "glm-4-air", "options": {"baseUrl": "%s", "maxAttempts": 1}}}
            """;

    @BeforeEach
    void ready() {
        awaitReady();
    }

    @Test
    void aPipelineIsListedAndDescribedWithItsSpecWhoseSecretsAreReferencesOnly() {
        Answer list = get("/api/v1/pipelines", token("user"));
        List<String> names = new java.util.ArrayList<>();
        list.data().forEach(p -> names.add(p.get("name").asText()));
        assertTrue(names.containsAll(List.of("flaky", "glm", "local")), names.toString());
        assertEquals(names.stream().sorted().toList(), names, "sorted by name");
        Answer one = get("/api/v1/pipelines/glm", token("user"));
        JsonNode d = one.data();
        assertEquals("TEXT_CLASSIFICATION", d.get("task").asText());
        assertEquals("glm-4-air", d.get("model").asText());
        assertEquals("glm", d.get("provider").asText());
        assertEquals("READY", d.get("state").asText());
        assertEquals("CLOSED", d.get("circuit").asText());
        assertEquals("glm-4-air", d.at("/spec/model/name").asText());
        assertFalse(one.raw().body().contains("PLANTEDKEYVALUE"), "the key came from Spring, not the spec");
    }

    @Test
    void anAdminRegistersAndReplacesAPipelineWhoseSpecIsValidatedFirst() {
        String admin = token("admin");
        Answer created = put("/api/v1/pipelines/added", admin, KEYWORDS.formatted(GLM.baseUrl()));
        assertEquals(201, created.status(), created.toString());
        assertEquals("added", created.data().get("name").asText());
        awaitReady();
        Answer answered = predict("added", token("user"), "[{\"text\": \"好\"}]");
        assertEquals("正面", answered.data().at("/results/0/label").asText(), answered.toString());

        Answer replaced = put("/api/v1/pipelines/added", admin, KEYWORDS.formatted(GLM.baseUrl()));
        assertEquals(200, replaced.status(), replaced.toString());

        Answer bad = put(
                "/api/v1/pipelines/added",
                admin,
                KEYWORDS.formatted(GLM.baseUrl()).replace("\"labels\"", "\"labelz\""));
        assertEquals(400, bad.status(), bad.toString());
        assertEquals(40002, bad.code(), bad.toString());
        assertTrue(bad.message().contains("$.task.labelz"), bad.toString());
        assertTrue(bad.message().contains("(2:"), "with its line: " + bad);

        Answer inlineKey = put(
                "/api/v1/pipelines/added",
                admin,
                KEYWORDS.formatted(GLM.baseUrl())
                        .replace("\"maxAttempts\"", "\"apiKey\": \"PLANTEDKEYVALUE\", \"maxAttempts\""));
        assertEquals(40002, inlineKey.code(), inlineKey.toString());
        assertTrue(inlineKey.message().contains("$.model.options.apiKey"), inlineKey.toString());
        assertFalse(inlineKey.raw().body().contains("PLANTEDKEYVALUE"), inlineKey.toString());
        assertEquals(
                "READY",
                get("/api/v1/pipelines/added", token("user"))
                        .data()
                        .get("state")
                        .asText(),
                "a refused spec replaces nothing");
    }

    @Test
    void validateReportsEveryProblemWithItsPathLineAndColumnAsData() {
        Answer ok = post("/api/v1/specs/validate", token("admin"), KEYWORDS.formatted(GLM.baseUrl()));
        assertEquals(200, ok.status(), ok.toString());
        assertTrue(ok.data().get("valid").asBoolean(), ok.toString());
        Answer bad = post("/api/v1/specs/validate", token("admin"), """
                {"version": 1,
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["正面"]},
                 "model": {"name": "no-such-model"},
                 "run": {"batchSize": "many"}}
                """);
        assertEquals(200, bad.status(), bad.toString());
        assertEquals(0, bad.code(), "the report is the answer");
        assertFalse(bad.data().get("valid").asBoolean());
        JsonNode problems = bad.data().get("problems");
        assertTrue(problems.size() >= 2, bad.toString());
        assertTrue(bad.raw().body().contains("\"path\":\"$.run.batchSize\""), bad.toString());
        assertTrue(problems.get(0).get("line").asInt() > 0, bad.toString());
        Answer notJson = post("/api/v1/specs/validate", token("admin"), "{\"version\": ");
        assertEquals("$", notJson.data().at("/problems/0/path").asText(), notJson.toString());
    }

    @Test
    void theMetricsAreInPrometheusUnderTheirDocumentedNames() {
        predict("local", token("user"), "[{\"text\": \"物流很快\"}, {\"id\": \"x\"}]");
        predict("glm", token("user"), "[{\"text\": \"服务很好\"}]");
        Answer scrape = get("/actuator/prometheus", null);
        assertEquals(200, scrape.status(), scrape.toString());
        String metrics = scrape.raw().body();
        for (String name : List.of(
                "gen_ai_client_operation_duration_seconds_bucket{",
                "gen_ai_client_operation_duration_seconds_count{",
                "gen_ai_client_token_usage_tokens_bucket{",
                "autoglm_tokens_total{",
                "autoglm_model_calls_active{",
                "autoglm_model_circuit_state{",
                "autoglm_records_processed_total{",
                "autoglm_records_failed_total{",
                "autoglm_model_calls_rejected_total",
                "autoglm_server_requests_rejected_total{")) {
            if (name.equals("autoglm_model_calls_rejected_total")) {
                continue; // only once a circuit has refused a call (ProtectionTest)
            }
            assertTrue(metrics.contains(name), name + " in\n" + metrics.substring(0, Math.min(3000, metrics.length())));
        }
        assertTrue(
                metrics.contains("gen_ai_client_operation_duration_seconds_bucket{error_type=\"none\""),
                "the latency histogram, from which Prometheus takes percentiles (histogram_quantile)");
        assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("autoglm_records_failed_total{")
                                && l.contains("kind=\"INVALID_INPUT\"")
                                && l.contains("pipeline=\"local\"")),
                "failed records by kind");
        assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("gen_ai_client_token_usage_tokens_count{")
                                && l.contains("gen_ai_token_type=\"output\"")
                                && l.contains("gen_ai_request_model=\"glm-4-air\"")
                                && l.contains("gen_ai_provider_name=\"glm\"")
                                && l.contains("gen_ai_operation_name=\"chat\"")),
                "GLM token usage in OpenTelemetry's terms");
    }

    @Test
    void theApiIsDescribedForOpenApiAndSwaggerUiIsServedFromTheJarWithoutAToken() {
        Answer docs = get("/v3/api-docs", null);
        assertEquals(200, docs.status(), docs.toString());
        JsonNode api = docs.json();
        for (String path : List.of(
                "/api/v1/pipelines",
                "/api/v1/pipelines/{name}",
                "/api/v1/pipelines/{name}/predict",
                "/api/v1/jobs",
                "/api/v1/jobs/{id}",
                "/api/v1/jobs/{id}/events",
                "/api/v1/jobs/{id}/results",
                "/api/v1/specs/validate")) {
            assertTrue(api.at("/paths").has(path), path + " in " + api.at("/paths"));
        }
        api.at("/paths").fieldNames().forEachRemaining(p -> assertTrue(p.startsWith("/api/v1/"), "the API only: " + p));
        assertTrue(api.at("/paths/~1api~1v1~1pipelines~1{name}/put").has("summary"));
        assertEquals(
                "bearer",
                api.at("/components/securitySchemes/bearer-jwt/scheme").asText());
        assertEquals("bearer-jwt", api.at("/security/0").fieldNames().next());
        String description = api.at("/info/description").asText();
        assertTrue(description.contains("| 42900 | 429 |"), "the error-code table: " + description);
        assertTrue(description.contains("| 50301 | 503 |"), description);

        Answer redirect = get("/swagger-ui.html", null);
        assertEquals(302, redirect.status(), redirect.toString());
        assertTrue(redirect.header("Location").endsWith("/swagger-ui/index.html"), redirect.header("Location"));
        Answer ui = get("/swagger-ui/index.html", null);
        assertEquals(200, ui.status(), ui.toString());
        assertTrue(ui.raw().body().contains("swagger-ui"), ui.raw().body());
        Answer script = get("/swagger-ui/swagger-ui-bundle.js", null);
        assertEquals(200, script.status(), "the UI's script comes from this server, not a CDN");
        Answer config = get("/v3/api-docs/swagger-config", null);
        assertEquals(200, config.status(), config.toString());
        assertFalse(
                config.raw().body().contains("validator.swagger.io"),
                config.raw().body());
    }

    @Test
    void readinessAndLivenessGroupsAreUpOnceModelsAreLoaded() {
        Answer readiness = get("/actuator/health/readiness", token("user"));
        assertEquals(200, readiness.status());
        assertEquals("UP", readiness.json().get("status").asText());
        assertEquals(
                "UP",
                readiness
                        .json()
                        .at("/components/autoglm/components/local/status")
                        .asText());
        assertEquals(
                "READY",
                readiness
                        .json()
                        .at("/components/autoglm/components/local/details/state")
                        .asText());
        Answer liveness = get("/actuator/health/liveness", null);
        assertEquals(200, liveness.status());
        assertTrue(liveness.json().at("/components/autoglm").isMissingNode(), "liveness ignores the models");
    }
}
