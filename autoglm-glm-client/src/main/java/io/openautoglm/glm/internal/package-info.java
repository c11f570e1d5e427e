/**
 * Implementation of the GLM client and provider. Not a public API: anything here may change without notice.
 *
 * <p>The client's request policy is a chain of {@link io.openautoglm.glm.internal.Interceptor}s, run by
 * {@link io.openautoglm.glm.internal.RealChain} for each call: retry, in-flight limit, spend limit, requests per
 * minute, endpoint choice, authentication, and the HTTP call at the end; each is one small class, tested alone.
 * Beside it: the wire format ({@code Json}), error mapping ({@code ErrorMapper}), the readers of answers
 * ({@code JsonAnswers}, {@code StreamedChat} over {@code SseReader}, {@code EmbeddingBatches}), usage counting
 * ({@code UsageCounter}), JWTs, limiters, the endpoint pool; and the provider's journal and response cache.
 */
package io.openautoglm.glm.internal;
