package io.openautoglm.spring;

import io.openautoglm.core.AutoGlmException;

/**
 * A pipeline could not be registered: its spec has problems (the cause is then a
 * {@link io.openautoglm.core.PipelineSpecException} with each problem's path), its model has no provider, a secret
 * reference does not resolve, or the name is not allowed. The message never repeats a secret.
 */
public class PipelineRegistrationException extends AutoGlmException {
    private final String pipeline;

    public PipelineRegistrationException(String pipeline, String message, Throwable cause) {
        super(message, cause);
        this.pipeline = pipeline;
    }

    public String pipeline() {
        return pipeline;
    }
}
