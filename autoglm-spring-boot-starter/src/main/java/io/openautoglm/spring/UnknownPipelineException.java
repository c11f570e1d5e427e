package io.openautoglm.spring;

import io.openautoglm.core.AutoGlmException;

/** No pipeline of this name is registered. The message lists those that are. */
public class UnknownPipelineException extends AutoGlmException {
    private final String pipeline;

    public UnknownPipelineException(String pipeline, java.util.Collection<String> known) {
        super("no pipeline named '" + pipeline + "'; pipelines: "
                + (known.isEmpty() ? "none" : String.join(", ", known)));
        this.pipeline = pipeline;
    }

    public String pipeline() {
        return pipeline;
    }
}
