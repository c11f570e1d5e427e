/**
 * The {@code autoglm-server} application: pipelines as a REST service on the Spring Boot starter, with the
 * {@code {code, data, message}} envelope on every answer, JWT bearer tokens, per-subject rate limits, a circuit
 * breaker per model, a bulkhead, jobs for whole datasets journaled on disk, and Prometheus metrics. Everything but
 * the entry point is in {@code io.openautoglm.server.internal}. See {@code docs/server.md}.
 */
package io.openautoglm.server;
