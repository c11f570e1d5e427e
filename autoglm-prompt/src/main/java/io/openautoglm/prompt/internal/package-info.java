/**
 * Implementation details of the prompt optimisers: scoring and budget bookkeeping, term mining, JSON and
 * charts. Not API: anything here may change without notice.
 */
package io.openautoglm.prompt.internal;
