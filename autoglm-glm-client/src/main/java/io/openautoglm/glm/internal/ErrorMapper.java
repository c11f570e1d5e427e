package io.openautoglm.glm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.openautoglm.glm.AuthenticationException;
import io.openautoglm.glm.ContentFilterException;
import io.openautoglm.glm.GlmException;
import io.openautoglm.glm.InsufficientBalanceException;
import io.openautoglm.glm.InvalidRequestException;
import io.openautoglm.glm.NonRetriableGlmException;
import io.openautoglm.glm.PermissionException;
import io.openautoglm.glm.PromptTooLongException;
import io.openautoglm.glm.QuotaExceededException;
import io.openautoglm.glm.RateLimitException;
import io.openautoglm.glm.ServerException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The one place where an HTTP status and a GLM business code become an exception type, and so decide whether a
 * call is retried. The business code wins over the status; the status decides when there is no known code.
 */
public final class ErrorMapper {
    private ErrorMapper() {}

    /** A parsed error body: the business code (or {@code null}) and the message. */
    public record ErrorBody(String code, String message) {}

    public static GlmException map(
            int status, String body, String retryAfterHeader, String context, Secrets secrets, Clock clock) {
        ErrorBody parsed = parseBody(body);
        Duration retryAfter = parseRetryAfter(retryAfterHeader, clock);
        String code = parsed.code();
        String msg = secrets.redact("GLM " + describe(status, code) + " (HTTP " + status
                + (code == null ? "" : ", code " + code) + "): " + parsed.message() + " [" + context + "]");
        if (code != null) {
            GlmException byCode = byCode(code, status, msg, retryAfter);
            if (byCode != null) {
                return byCode;
            }
        }
        return byStatus(status, code, msg, retryAfter);
    }

    private static GlmException byCode(String code, int status, String msg, Duration retryAfter) {
        int c;
        try {
            c = Integer.parseInt(code.strip());
        } catch (NumberFormatException notNumeric) {
            return null;
        }
        if (c >= 1000 && c <= 1005) {
            return new AuthenticationException(msg, status, code);
        }
        switch (c) {
            case 1113:
                return new InsufficientBalanceException(msg, status, code);
            case 1110, 1111, 1112, 1121, 1220, 1221, 1222, 1309, 1311:
                return new PermissionException(msg, status, code);
            case 1120, 1200, 1230, 1234:
                return new ServerException(msg, status, code, retryAfter);
            case 1210, 1211, 1212, 1213, 1214, 1215, 1231:
                return new InvalidRequestException(msg, status, code);
            case 1261:
                return new PromptTooLongException(msg, status, code);
            case 1300, 1301:
                return new ContentFilterException(msg, status, code);
            case 1302, 1303, 1305, 1312:
                return new RateLimitException(msg, status, code, retryAfter);
            case 1304, 1308, 1310:
                return new QuotaExceededException(msg, status, code);
            default:
                if (c >= 1313 && c <= 1321) {
                    return new QuotaExceededException(msg, status, code);
                }
                return null;
        }
    }

    private static GlmException byStatus(int status, String code, String msg, Duration retryAfter) {
        if (status == 401) {
            return new AuthenticationException(msg, status, code);
        }
        if (status == 403 || status == 434) {
            return new PermissionException(msg, status, code);
        }
        if (status == 429) {
            return new RateLimitException(msg, status, code, retryAfter);
        }
        if (status == 503) {
            return new RateLimitException(msg, status, code, retryAfter);
        }
        if (status == 408 || status >= 500) {
            return new ServerException(msg, status, code, retryAfter);
        }
        if (status >= 400) {
            return new InvalidRequestException(msg, status, code);
        }
        return new NonRetriableGlmException(msg, null, status, code);
    }

    private static String describe(int status, String code) {
        if (code != null) {
            return switch (code) {
                case "1302" -> "account concurrency limit";
                case "1303" -> "request frequency too high";
                case "1305", "1312" -> "model overloaded";
                case "1113" -> "no balance";
                case "1261" -> "prompt too long";
                case "1301", "1300" -> "content filtered";
                case "1003" -> "token expired";
                default -> "error";
            };
        }
        return status >= 500 ? "server error" : "error";
    }

    /** Reads {@code {"error":{"code":"1302","message":…}}} and the looser shapes some gateways send. */
    public static ErrorBody parseBody(String body) {
        if (body == null || body.isBlank()) {
            return new ErrorBody(null, "(empty body)");
        }
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            if (root != null && root.isObject()) {
                JsonNode err = root.get("error");
                JsonNode holder = err != null && err.isObject() ? err : root;
                String code = text(holder.get("code"));
                if (code == null) {
                    code = text(root.get("code"));
                }
                String message = text(holder.get("message"));
                if (message == null && err != null && err.isTextual()) {
                    message = err.asText();
                }
                if (message == null) {
                    message = text(root.get("msg"));
                }
                if (message == null) {
                    message = text(root.get("message"));
                }
                return new ErrorBody(code, message == null ? abbreviate(body) : message);
            }
        } catch (Exception notJson) {
            // Gateways in front of GLM answer with HTML or plain text; the body itself is the message then.
        }
        return new ErrorBody(null, abbreviate(body));
    }

    static Duration parseRetryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip();
        try {
            double seconds = Double.parseDouble(h);
            return seconds < 0 ? null : Duration.ofMillis((long) (seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
                long ms = when.toInstant().toEpochMilli() - clock.millis();
                return Duration.ofMillis(Math.max(0, ms));
            } catch (Exception notDate) {
                return null;
            }
        }
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        String t = n.isValueNode() ? n.asText() : n.toString();
        return t.isEmpty() ? null : t;
    }

    private static String abbreviate(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() <= 300 ? t : t.substring(0, 300) + "…";
    }
}
