/**
 * A client for Zhipu's GLM API (BigModel / Z.ai v4) and the {@code glm-*} model provider of the pipeline.
 *
 * <p>Entry point: {@link io.openautoglm.glm.GlmClient}, built with {@link io.openautoglm.glm.GlmClient#builder()}.
 * It sends chat completions (blocking, {@code CompletableFuture}, SSE streaming) and embeddings; authenticates with
 * the API key or a JWT signed from it ({@link io.openautoglm.glm.AuthMode}); repeats retriable failures under a
 * {@link io.openautoglm.glm.RetryPolicy}; keeps requests in flight per model under a limit that halves on
 * {@code 1302}/{@code 1305} and grows back; spreads load over several {@link io.openautoglm.glm.Endpoint}s with
 * failover; counts tokens and cost by a {@link io.openautoglm.glm.PriceTable} and stops at a
 * {@link io.openautoglm.glm.SpendLimit}.
 *
 * <pre>{@code
 * try (GlmClient glm = GlmClient.builder().apiKey(System.getenv("ZHIPUAI_API_KEY")).build()) {
 *     ChatResponse answer = glm.chat(ChatRequest.builder("glm-4-flash").user("用一句话介绍杭州").build());
 *     System.out.println(answer.content() + " (" + answer.usage().totalTokens() + " tokens)");
 * }
 * }</pre>
 *
 * <p>Every failure is a {@link io.openautoglm.glm.GlmException}, either a
 * {@link io.openautoglm.glm.RetriableGlmException} or a {@link io.openautoglm.glm.NonRetriableGlmException}, with
 * the HTTP status and the GLM business code. No credential appears in any log, message or {@code toString}.
 *
 * <p>With this module on the classpath, {@code TaskPipeline.builder().model("glm-4-flash")} runs classification,
 * NER and matching on GLM; see {@code docs/glm-client.md} for the provider options (journal, cache, budget, …).
 * The package {@code io.openautoglm.glm.internal} is implementation, not API.
 */
package io.openautoglm.glm;
