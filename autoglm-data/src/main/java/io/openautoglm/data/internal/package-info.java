/**
 * Implementations of the loaders in {@link io.openautoglm.data}: CSV through Commons CSV, JSON Lines through
 * Jackson, JDBC through a forward-only result set, each over a strict decoder that reports undecodable bytes
 * by line. Not a public API: anything here may change without notice.
 */
package io.openautoglm.data.internal;
