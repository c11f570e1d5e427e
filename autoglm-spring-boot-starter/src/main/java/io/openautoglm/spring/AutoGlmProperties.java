package io.openautoglm.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code autoglm.*} properties: the pipelines to serve, the circuit breaker each model gets, the GLM API key from
 * Spring's property sources, and whether models are warmed up at start. Immutable; each value is checked when bound,
 * and an error names the property.
 *
 * <pre>
 * autoglm.pipelines.feedback=specs/feedback.json                # a spec file (relative paths resolve against its folder)
 * autoglm.pipelines.inline={"version":1,"task":{…}}            # or inline JSON (Spring resolves ${…} in it)
 * autoglm.glm.api-key=${ZHIPUAI_API_KEY}                        # GLM pipelines whose spec names no apiKey use this
 * autoglm.circuit-breaker.failure-rate-threshold=50
 * </pre>
 *
 * @param pipelines      pipeline name to spec: a file path, {@code classpath:…}, or inline JSON (starting with
 *                       {@code {})
 * @param circuitBreaker the breaker every model gets
 * @param glm            GLM settings from Spring's property sources
 * @param warmUp         whether each pipeline prepares its model at start, in the background (a local model also
 *                       answers one probe record), so that health says LOADING until it is ready
 */
@ConfigurationProperties("autoglm")
public record AutoGlmProperties(
        Map<String, String> pipelines,
        @DefaultValue CircuitBreaker circuitBreaker,
        @DefaultValue Glm glm,
        @DefaultValue("true") boolean warmUp) {

    public AutoGlmProperties {
        pipelines =
                pipelines == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
        circuitBreaker = circuitBreaker == null ? CircuitBreaker.DEFAULTS : circuitBreaker;
        glm = glm == null ? new Glm(null) : glm;
    }

    /**
     * The circuit breaker of each model ({@code autoglm.circuit-breaker.*}): over the last {@code slidingWindowSize}
     * model calls, once at least {@code minimumNumberOfCalls} were made, a failure rate at or above
     * {@code failureRateThreshold} percent opens it; it stays open for {@code waitDurationInOpenState}, then lets
     * {@code permittedCallsInHalfOpenState} trial calls through, which close it again or open it anew.
     *
     * @param enabled                       {@code false} to give no model a breaker
     * @param failureRateThreshold          percent of failed calls that opens the circuit, in (0, 100]
     * @param slidingWindowSize             calls the failure rate is taken over
     * @param minimumNumberOfCalls          calls needed before the rate counts
     * @param waitDurationInOpenState       how long it stays open
     * @param permittedCallsInHalfOpenState trial calls after that
     */
    public record CircuitBreaker(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindowSize,
            @DefaultValue("10") int minimumNumberOfCalls,
            @DefaultValue("30s") Duration waitDurationInOpenState,
            @DefaultValue("2") int permittedCallsInHalfOpenState) {

        /** The defaults above. */
        public static final CircuitBreaker DEFAULTS = new CircuitBreaker(true, 50, 20, 10, Duration.ofSeconds(30), 2);

        public CircuitBreaker {
            String p = "autoglm.circuit-breaker.";
            if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
                throw new IllegalArgumentException(
                        p + "failure-rate-threshold: must be in (0, 100] percent, got " + failureRateThreshold);
            }
            requireAtLeastOne(p + "sliding-window-size", slidingWindowSize);
            requireAtLeastOne(p + "minimum-number-of-calls", minimumNumberOfCalls);
            requireAtLeastOne(p + "permitted-calls-in-half-open-state", permittedCallsInHalfOpenState);
            if (waitDurationInOpenState == null || waitDurationInOpenState.toMillis() < 1) {
                throw new IllegalArgumentException(
                        p + "wait-duration-in-open-state: must be at least 1ms, got " + waitDurationInOpenState);
            }
        }

        private static void requireAtLeastOne(String property, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(property + ": must be at least 1, got " + value);
            }
        }
    }

    /**
     * GLM settings ({@code autoglm.glm.*}).
     *
     * @param apiKey the API key that GLM pipelines whose spec names none are opened with; from any of Spring's
     *               property sources (environment {@code AUTOGLM_GLM_API_KEY}, a config tree, a vault). Without it,
     *               the GLM provider reads {@code ZHIPUAI_API_KEY}. Never logged; {@link #toString()} hides it.
     */
    public record Glm(String apiKey) {
        @Override
        public String toString() {
            return "Glm[apiKey=" + (apiKey == null || apiKey.isBlank() ? "unset" : "(set, hidden)") + "]";
        }
    }
}
