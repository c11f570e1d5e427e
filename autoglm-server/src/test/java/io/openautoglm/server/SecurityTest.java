package io.openautoglm.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** JWT bearer tokens: accepted, expired, wrong key, wrong role; 401 and 403 in the envelope; nothing secret logged. */
@ExtendWith(OutputCaptureExtension.class)
class SecurityTest extends ServerTestBase {

    @BeforeEach
    void ready() {
        awaitReady();
    }

    @Test
    void aValidTokenWithRoleUserIsAccepted() {
        assertEquals(200, get("/api/v1/pipelines/local", token("user")).status());
        assertEquals(200, get("/api/v1/pipelines/local", token("admin")).status(), "admin may do what user may");
    }

    @Test
    void noTokenIs401WithTheBearerChallenge() {
        Answer a = get("/api/v1/pipelines", null);
        assertEquals(401, a.status(), a.toString());
        assertEquals(40100, a.code());
        assertEquals("Bearer", a.header("WWW-Authenticate"));
    }

    @Test
    void aTokenWithoutASubjectIs401() {
        // nimbus leaves the claim out when the subject is null
        Answer a = get("/api/v1/pipelines", token(null, SECRET, Instant.now().plusSeconds(600), "user"));
        assertEquals(401, a.status(), a.toString());
    }

    @Test
    void validatingASpecIsForAdmins() {
        Answer user = post("/api/v1/specs/validate", token("user"), "{}");
        assertEquals(403, user.status(), user.toString());
        assertTrue(user.message().contains("needs role admin"), user.toString());
    }

    @Test
    void anExpiredTokenIs401WithItsOwnCode() {
        String expired = token(subject(), SECRET, Instant.now().minusSeconds(600), "user");
        Answer a = get("/api/v1/pipelines", expired);
        assertEquals(401, a.status(), a.toString());
        assertEquals(40102, a.code(), a.toString());
        assertTrue(a.header("WWW-Authenticate").contains("invalid_token"), a.toString());
    }

    @Test
    void aTokenSignedWithAnotherKeyOrNotAJwtAtAllIs401() {
        String forged = token(
                subject(),
                "another-secret-0123456789-abcdefghijklmnop",
                Instant.now().plusSeconds(60),
                "admin");
        Answer a = get("/api/v1/pipelines", forged);
        assertEquals(401, a.status(), a.toString());
        assertEquals(40101, a.code(), a.toString());
        Answer garbage = get("/api/v1/pipelines", "not.a.jwt");
        assertEquals(401, garbage.status(), garbage.toString());
        assertEquals(40101, garbage.code(), garbage.toString());
    }

    @Test
    void aTokenWithoutARoleIs403AndRegisteringAPipelineNeedsAdmin() {
        Answer none = get("/api/v1/pipelines", token());
        assertEquals(403, none.status(), none.toString());
        assertEquals(40300, none.code());
        assertTrue(none.message().contains("needs role user or admin"), none.toString());
        String spec = "{\"version\": 1, \"task\": {\"type\": \"TEXT_CLASSIFICATION\", \"labels\": [\"好\", \"坏\"]}}";
        Answer user = put("/api/v1/pipelines/extra", token("user"), spec);
        assertEquals(403, user.status(), user.toString());
        assertEquals(40300, user.code());
        assertTrue(user.message().contains("needs role admin"), user.toString());
    }

    @Test
    void actuatorHealthAndPrometheusNeedNoToken() {
        assertEquals(200, get("/actuator/health", null).status());
        assertEquals(200, get("/actuator/health/liveness", null).status());
        assertEquals(200, get("/actuator/prometheus", null).status());
    }

    @Test
    void neitherTokensNorTextsNorTheGlmKeyAppearInTheLog(CapturedOutput output) {
        String token = token("user");
        String text = "一段不应出现在日志里的反馈PLANTEDTEXT";
        Answer a = predict("glm", token, "[{\"id\": \"r1\", \"text\": \"" + text + "\"}]");
        assertEquals(200, a.status(), a.toString());
        get("/api/v1/pipelines", token("user").substring(5));
        String log = output.getAll();
        assertTrue(log.contains("predict pipeline=glm"), "the request is logged, by ids and counts");
        assertFalse(log.contains(token), "the token");
        assertFalse(log.contains(token.substring(token.lastIndexOf('.') + 1)), "the signature");
        assertFalse(log.contains("PLANTEDTEXT"), "the text");
        assertFalse(log.contains("PLANTEDKEYVALUE"), "the GLM key");
        assertFalse(log.contains(SECRET), "the JWT secret");
    }
}
