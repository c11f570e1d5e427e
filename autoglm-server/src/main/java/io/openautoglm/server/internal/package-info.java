/**
 * The server's web layer, security and protection: controllers, the envelope, JWT, rate limit, bulkhead, the jobs
 * journaled on disk, and the pipelines registered over the API kept on disk with their revisions. Not an API.
 */
package io.openautoglm.server.internal;
