package io.openautoglm.glm;

/** Code {@code 1113}: the account is in arrears or has no resource package. Not transient; never retried. */
public class InsufficientBalanceException extends NonRetriableGlmException {
    public InsufficientBalanceException(String message, int httpStatus, String code) {
        super(message, null, httpStatus, code);
    }
}
