package io.openautoglm.core;

/** What a pipeline does with a record that cannot be run. */
public enum ErrorMode {
    /** Keep going: the record becomes a failed result with its reason (the default). */
    COLLECT,
    /** Stop the run at the first bad input record with a {@link DataException} that says where it is. */
    FAIL_FAST
}
