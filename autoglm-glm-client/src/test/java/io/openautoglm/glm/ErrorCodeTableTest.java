package io.openautoglm.glm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.openautoglm.glm.internal.ErrorMapper;
import io.openautoglm.glm.internal.Secrets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every business code of the reference's table (§9.3) and the bare HTTP statuses, against the one mapper. */
class ErrorCodeTableTest {

    @ParameterizedTest(name = "HTTP {0} code {1} -> {2}")
    @CsvSource({
        "401, 1000, AuthenticationException, false",
        "401, 1001, AuthenticationException, false",
        "401, 1002, AuthenticationException, false",
        "401, 1003, AuthenticationException, false",
        "401, 1004, AuthenticationException, false",
        "401, 1005, AuthenticationException, false",
        "429, 1110, PermissionException, false",
        "429, 1111, PermissionException, false",
        "429, 1112, PermissionException, false",
        "429, 1113, InsufficientBalanceException, false",
        "429, 1120, ServerException, true",
        "429, 1121, PermissionException, false",
        "500, 1200, ServerException, true",
        "400, 1210, InvalidRequestException, false",
        "400, 1211, InvalidRequestException, false",
        "400, 1212, InvalidRequestException, false",
        "400, 1213, InvalidRequestException, false",
        "400, 1214, InvalidRequestException, false",
        "400, 1215, InvalidRequestException, false",
        "403, 1220, PermissionException, false",
        "400, 1221, PermissionException, false",
        "400, 1222, PermissionException, false",
        "500, 1230, ServerException, true",
        "400, 1231, InvalidRequestException, false",
        "500, 1234, ServerException, true",
        "400, 1261, PromptTooLongException, false",
        "400, 1300, ContentFilterException, false",
        "400, 1301, ContentFilterException, false",
        "429, 1302, RateLimitException, true",
        "429, 1303, RateLimitException, true",
        "429, 1304, QuotaExceededException, false",
        "429, 1305, RateLimitException, true",
        "503, 1305, RateLimitException, true",
        "429, 1308, QuotaExceededException, false",
        "429, 1309, PermissionException, false",
        "429, 1310, QuotaExceededException, false",
        "429, 1311, PermissionException, false",
        "429, 1312, RateLimitException, true",
        "429, 1313, QuotaExceededException, false",
        "429, 1321, QuotaExceededException, false",
        "400, '', InvalidRequestException, false",
        "401, '', AuthenticationException, false",
        "403, '', PermissionException, false",
        "404, '', InvalidRequestException, false",
        "408, '', ServerException, true",
        "429, '', RateLimitException, true",
        "434, '', PermissionException, false",
        "435, '', InvalidRequestException, false",
        "500, '', ServerException, true",
        "502, '', ServerException, true",
        "503, '', RateLimitException, true",
        "429, 9999, RateLimitException, true",
        "400, 9999, InvalidRequestException, false"
    })
    void mapsToTheDocumentedTypeAndRetryDecision(int status, String code, String type, boolean retriable) {
        String body = code == null || code.isEmpty()
                ? "{\"error\":{\"message\":\"m\"}}"
                : "{\"error\":{\"code\":\"" + code + "\",\"message\":\"m\"}}";
        GlmException e = ErrorMapper.map(status, body, null, "test", new Secrets(List.of()), Clock.systemUTC());
        assertEquals(type, e.getClass().getSimpleName());
        assertEquals(retriable, e.isRetriable());
        assertEquals(retriable, RetryPolicy.defaults().shouldRetry(e, 1));
        Class<?> branch = retriable ? RetriableGlmException.class : NonRetriableGlmException.class;
        assertEquals(true, branch.isInstance(e));
        assertEquals(status, e.httpStatus());
    }
}
