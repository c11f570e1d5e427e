package io.openautoglm.core.spi;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model backend, found through {@link java.util.ServiceLoader}. Implementations must have a public
 * no-argument constructor and must not load anything heavy until {@link #open} is called.
 */
public interface ModelProvider {

    /** A short name, such as {@code local} or {@code glm}. */
    String name();

    /** The Maven artifact that ships this provider, for messages, e.g. {@code io.openautoglm:autoglm-local}. */
    String artifact();

    /** Whether this provider serves the model name, e.g. {@code local:bge-small-zh}. */
    boolean supports(String modelName);

    /** Example model names for messages and documentation. */
    List<String> exampleModels();

    /**
     * Opens the model. The caller owns the result and must close it.
     *
     * @param modelName a name for which {@link #supports} is true
     * @param options   provider-specific options (API key, thread count, …); never logged
     */
    Model open(String modelName, Map<String, String> options);

    /**
     * Checks the options without opening anything, so that a misspelt key fails when the pipeline is built rather than
     * when it first runs; a provider may check values here too. {@code TaskPipeline} calls it from {@code build()}.
     * Does nothing by default.
     *
     * @param options the options as {@link #open} would get them, secret references already resolved
     * @throws IllegalArgumentException naming the offending key, never a value
     */
    default void checkOptions(Map<String, String> options) {}

    /**
     * Option keys whose values are secrets: never logged, and in a {@code PipelineSpec} only given as
     * {@code ${env:NAME}} or {@code ${file:/path}} references. None by default.
     */
    default Set<String> secretOptions() {
        return Set.of();
    }
}
