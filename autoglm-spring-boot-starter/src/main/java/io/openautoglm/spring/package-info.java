/**
 * Open-AutoGLM for Spring Boot: pipelines configured as {@code autoglm.pipelines.<name>} (a pipeline spec as a file
 * path or inline JSON) are opened once into one {@link io.openautoglm.spring.AutoGlmPipelines} bean and closed on
 * shutdown; every model call is measured through Micrometer ({@link io.openautoglm.spring.AutoGlmMetrics} lists the
 * names) and guarded by a circuit breaker per model ({@link io.openautoglm.spring.ModelCircuit}); the actuator gets
 * one health indicator per pipeline under {@code autoglm} (its model ready here: for readiness) and one under
 * {@code autoglmCircuits} (its model answering: down while the circuit is open).
 *
 * <p>The starter holds no business logic: it wires the SDK. See {@code docs/server.md}.
 */
package io.openautoglm.spring;
