/**
 * Test fixtures: {@link io.openautoglm.glm.testing.GlmTestServer}, a local server that speaks the GLM v4 protocol
 * (chat completions, JSON and SSE, embeddings, API-key and JWT auth) and injects the faults GLM is known for.
 * Shipped as the {@code test-fixtures} classifier jar of {@code autoglm-glm-client}, so applications can test
 * their own GLM code offline. Needs {@code com.squareup.okhttp3:mockwebserver} on the test classpath.
 */
package io.openautoglm.glm.testing;
