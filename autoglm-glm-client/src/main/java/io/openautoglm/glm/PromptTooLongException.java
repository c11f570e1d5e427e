package io.openautoglm.glm;

/** Code {@code 1261}: the prompt is longer than the model accepts. Shorten the input; never retried. */
public class PromptTooLongException extends InvalidRequestException {
    public PromptTooLongException(String message, int httpStatus, String code) {
        super(message, httpStatus, code);
    }
}
