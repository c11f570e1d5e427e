/**
 * Implementation of the GLM client and provider: wire format, error mapping, JWT, limiters, endpoint pool, SSE,
 * journal and response cache. Not a public API: anything here may change without notice.
 */
package io.openautoglm.glm.internal;
