package io.openautoglm.data.internal;

import java.util.Collections;
import java.util.Set;

/**
 * Turns one source row into what a cursor hands out: a {@link io.openautoglm.core.TextRecord} ({@link
 * RecordMapper}) or a {@link io.openautoglm.data.Row} ({@link RowValues}). Immutable, thread-safe.
 *
 * @param <T> what the cursor hands out
 */
abstract class RowMapper<T> {
    /** The columns (JSONL: field paths) the mapping names; each must exist, which the table checks up front. */
    final Set<String> named;
    /** Whether the mapping reads every column, named or not; a header that repeats a name cannot be read so. */
    final boolean allColumns;

    RowMapper(Set<String> named, boolean allColumns) {
        this.named = Collections.unmodifiableSet(named);
        this.allColumns = allColumns;
    }

    /** A good row, mapped; throws when the row's values do not fit the mapping. */
    abstract T map(SourceRow row, String source, long line) throws BadRecordException;

    /** What a bad row becomes when bad rows are collected; {@code row} is {@code null} when it could not be parsed. */
    abstract T bad(SourceRow row, String source, long line, String reason);
}
