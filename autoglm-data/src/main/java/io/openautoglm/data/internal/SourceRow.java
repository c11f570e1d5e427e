package io.openautoglm.data.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * One row of a source as the mappers see it, whatever its format: typed access for the record mapper (a JSON
 * field that must be text, a JSON array of entities) and plain text for {@link io.openautoglm.data.Row}.
 */
interface SourceRow {

    /** What the format calls its parts, for messages: "column" or "field". */
    String kind();

    /** The value as text for a part that must be text; {@code null} when absent or null. */
    String string(String name) throws BadRecordException;

    /**
     * The value as text for a scalar part (a number or boolean is turned into text); {@code null} when absent.
     * In text formats (CSV, JDBC) every value is already text.
     */
    default String scalar(String name) throws BadRecordException {
        return string(name);
    }

    /** The value as text whatever its type (JSON text for a container); {@code null} when absent. */
    default String anyAsText(String name) throws BadRecordException {
        return string(name);
    }

    /** The value as JSON (parsed from text in CSV and JDBC); {@code null} when absent or blank. */
    default JsonNode json(String name) throws BadRecordException {
        String v = string(name);
        return v == null || v.isBlank() ? null : Json.parse(v, kind() + " '" + name + "'");
    }

    /**
     * Adds every part not in {@code mapped} to {@code into}, as text, in source order; a part without a value
     * (SQL {@code NULL}, JSON {@code null}) is left out, an empty CSV field is {@code ""}.
     */
    void addOthers(Set<String> mapped, Map<String, String> into);
}
