package io.openautoglm.data.internal;

/**
 * Why one row cannot become a record. Never escapes the cursor: it becomes a {@link
 * io.openautoglm.core.DataException} (fail fast) or an invalid record (collect). No stack trace, because
 * it is thrown once per bad row and a file of bad rows must not be slow to reject.
 */
final class BadRecordException extends Exception {
    BadRecordException(String reason) {
        super(reason, null, false, false);
    }
}
