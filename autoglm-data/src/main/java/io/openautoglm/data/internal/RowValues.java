package io.openautoglm.data.internal;

import io.openautoglm.data.Row;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link SourceRow} into a {@link Row}: the named columns in their order, each as text (a JSON object
 * or array as its JSON text), or without names every column of the row (JSONL: every leaf by dotted path, as
 * {@link io.openautoglm.data.Columns.Builder#allOtherColumnsAsMetadata()} reads them). Immutable, thread-safe.
 */
final class RowValues extends RowMapper<Row> {

    RowValues(List<String> columns) {
        super(new LinkedHashSet<>(columns), columns.isEmpty());
    }

    @Override
    Row map(SourceRow row, String source, long line) throws BadRecordException {
        Map<String, String> values = new LinkedHashMap<>();
        if (allColumns) {
            row.addOthers(Set.of(), values);
        }
        for (String column : named) {
            String v = row.anyAsText(column);
            if (v != null) {
                values.put(column, v);
            }
        }
        return new Row(source, line, values);
    }

    @Override
    Row bad(SourceRow row, String source, long line, String reason) {
        return Row.bad(source, line, reason);
    }
}
