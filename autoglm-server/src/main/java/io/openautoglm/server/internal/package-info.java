/**
 * The server's web layer, security and protection: controllers, the envelope, JWT, rate limit, bulkhead, and the
 * jobs journaled on disk. Not an API.
 */
package io.openautoglm.server.internal;
