package io.openautoglm.glm;

/**
 * HTTP 401 or business codes {@code 1000-1005}: the key or token was refused. Never retried, except that an
 * expired JWT ({@code 1003}) is regenerated and the call repeated once.
 */
public class AuthenticationException extends NonRetriableGlmException {
    public AuthenticationException(String message, int httpStatus, String code) {
        super(message, null, httpStatus, code);
    }

    /** Whether the server said the token expired ({@code 1003}). */
    public boolean tokenExpired() {
        return "1003".equals(code());
    }
}
