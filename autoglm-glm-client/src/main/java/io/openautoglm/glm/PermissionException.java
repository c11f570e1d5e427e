package io.openautoglm.glm;

/** HTTP 403/434 or codes such as {@code 1110-1112}, {@code 1121}, {@code 1220}, {@code 1309}, {@code 1311}: the account may not do this. */
public class PermissionException extends NonRetriableGlmException {
    public PermissionException(String message, int httpStatus, String code) {
        super(message, null, httpStatus, code);
    }
}
