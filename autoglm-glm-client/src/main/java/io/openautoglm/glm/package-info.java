/**
 * The client for Zhipu's GLM API (chat, streaming, embeddings, auth, retries, rate limits, failover)
 * and the {@code glm-*} model provider.
 *
 * <p>Not built yet: this module will hold it once its issue lands. It contains no classes so far.
 */
package io.openautoglm.glm;
