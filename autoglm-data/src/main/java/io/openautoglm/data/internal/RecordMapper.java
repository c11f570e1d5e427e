package io.openautoglm.data.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.openautoglm.core.Entity;
import io.openautoglm.core.TextRecord;
import io.openautoglm.data.Columns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a {@link SourceRow} into a {@link TextRecord} as {@link Columns} says. Immutable, thread-safe. */
final class RecordMapper extends RowMapper<TextRecord> {
    private final Columns columns;

    RecordMapper(Columns columns) {
        super(named(columns), columns.allOtherColumnsAsMetadata());
        this.columns = columns;
    }

    /** Every column the mapping names, mapped parts first, without duplicates. */
    static Set<String> named(Columns c) {
        Set<String> all = new LinkedHashSet<>();
        for (String name : new String[] {c.id(), c.text(), c.textB(), c.label(), c.entities()}) {
            if (name != null) {
                all.add(name);
            }
        }
        all.addAll(c.metadata());
        return all;
    }

    @Override
    TextRecord map(SourceRow row, String source, long line) throws BadRecordException {
        String id = null;
        if (columns.id() != null) {
            id = row.scalar(columns.id());
            if (id == null || id.isBlank()) {
                throw new BadRecordException("empty id in " + row.kind() + " '" + columns.id() + "'");
            }
        }
        // An empty text is passed on, not rejected: the task decides, and reports it as "empty text".
        // A table mapping (Columns.table) has no text: its rows carry only metadata.
        String text = columns.text() == null ? "" : required(row, columns.text(), "text");
        String textB = columns.textB() == null ? null : required(row, columns.textB(), "second text");
        String label = null;
        if (columns.label() != null) {
            label = row.scalar(columns.label());
            if (label == null || label.isBlank()) {
                throw new BadRecordException("empty label in " + row.kind() + " '" + columns.label() + "'");
            }
        }
        List<Entity> entities = columns.entities() == null ? null : entities(row);
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String m : columns.metadata()) {
            String v = row.anyAsText(m);
            if (v != null) {
                metadata.put(m, v);
            }
        }
        if (columns.allOtherColumnsAsMetadata()) {
            row.addOthers(named, metadata);
        }
        return new TextRecord(id, text, textB, label, entities, metadata, source + ":" + line, null);
    }

    /** An invalid record that keeps the reason, the place and the row's id where it can be read. */
    @Override
    TextRecord bad(SourceRow row, String source, long line, String reason) {
        return TextRecord.invalid(idOrNull(row), source + ":" + line, reason);
    }

    /** The id of a row that could not be mapped, if it can be read at all; for the invalid record. */
    private String idOrNull(SourceRow row) {
        if (columns.id() == null || row == null) {
            return null;
        }
        try {
            String id = row.scalar(columns.id());
            return id == null || id.isBlank() ? null : id;
        } catch (BadRecordException | RuntimeException e) {
            return null;
        }
    }

    private static String required(SourceRow row, String name, String what) throws BadRecordException {
        String v = row.string(name);
        if (v == null) {
            throw new BadRecordException("no " + what + ": " + row.kind() + " '" + name + "' is missing or null");
        }
        return v;
    }

    private List<Entity> entities(SourceRow row) throws BadRecordException {
        String name = columns.entities();
        JsonNode node = row.json(name);
        if (node == null) {
            throw new BadRecordException("no gold entities: " + row.kind() + " '" + name + "' is missing or null");
        }
        if (!node.isArray()) {
            throw new BadRecordException(row.kind() + " '" + name + "' is " + Json.describe(node)
                    + ", expected an array of {start, end, type, mention} objects");
        }
        List<Entity> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode e = node.get(i);
            String where = "entity " + (i + 1) + " in " + row.kind() + " '" + name + "'";
            if (!e.isObject()) {
                throw new BadRecordException(where + " is " + Json.describe(e) + ", expected an object");
            }
            int start = intField(e, "start", where);
            int end = intField(e, "end", where);
            String type = textField(e, "type", where);
            String mention = textField(e, "mention", where);
            try {
                out.add(new Entity(start, end, type, mention));
            } catch (IllegalArgumentException bad) {
                throw new BadRecordException(where + ": " + bad.getMessage());
            }
        }
        return out;
    }

    private static int intField(JsonNode e, String field, String where) throws BadRecordException {
        JsonNode v = e.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new BadRecordException(where + ": '" + field + "' is " + Json.describe(v) + ", expected an integer");
        }
        return v.intValue();
    }

    private static String textField(JsonNode e, String field, String where) throws BadRecordException {
        JsonNode v = e.get(field);
        if (v == null || !v.isTextual()) {
            throw new BadRecordException(where + ": '" + field + "' is " + Json.describe(v) + ", expected a string");
        }
        return v.textValue();
    }
}
