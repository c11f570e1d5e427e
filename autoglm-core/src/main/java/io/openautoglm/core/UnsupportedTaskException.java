package io.openautoglm.core;

/** A model that cannot run the requested task, e.g. an embedding model asked for entity recognition. */
public class UnsupportedTaskException extends AutoGlmException {
    public UnsupportedTaskException(String message) {
        super(message);
    }
}
