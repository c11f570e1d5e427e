package io.openautoglm.prompt.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a candidate's spec as results of formats 1 and 2 wrote it ({@code taskType}, {@code instruction},
 * labels with {@code wording}, {@code demonstrations}, {@code outputFormat}) into a task section, so that old
 * results load through the one task codec. An output format is appended to the template as literal text, as
 * those versions did when they ran it; a demonstration's {@code source} and {@code metadata} are dropped, as a
 * task section has neither.
 */
final class LegacySpec {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private LegacySpec() {}

    static ObjectNode task(JsonNode spec) {
        String type = spec.path("taskType").asText(null);
        if (type == null) {
            throw new IllegalArgumentException("prompt spec JSON: field 'taskType' is missing");
        }
        ObjectNode t = NODES.objectNode();
        t.put("type", type);
        JsonNode instruction = spec.get("instruction");
        String template = instruction == null || instruction.isNull()
                ? null
                : instruction.path("template").asText();
        String format = spec.path("outputFormat").asText(null);
        if (format != null && !format.isBlank()) {
            template = (template == null ? "{text}" : template) + "\n"
                    + format.replace("{", "{{").replace("}", "}}");
        }
        if (template != null) {
            t.put("template", template);
            if (instruction != null && instruction.path("fields").size() > 0) {
                t.set("fields", instruction.get("fields"));
            }
        }
        ArrayNode labels = NODES.arrayNode();
        for (JsonNode l : spec.path("labels")) {
            String wording = l.path("wording").asText(null);
            if (wording == null) {
                labels.add(l.path("name").asText());
            } else {
                labels.addObject().put("name", l.path("name").asText()).put("description", wording);
            }
        }
        if (!labels.isEmpty()) {
            t.set("labels", labels);
        }
        if (spec.path("entityTypes").size() > 0) {
            t.set("entityTypes", spec.get("entityTypes"));
        }
        if (spec.path("demonstrations").size() > 0) {
            t.set("examples", examples(spec.get("demonstrations")));
        }
        if (spec.path("options").size() > 0) {
            t.set("options", spec.get("options"));
        }
        return t;
    }

    /** Demonstrations as task examples: id, texts, label and entities. */
    static ArrayNode examples(JsonNode demonstrations) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode d : demonstrations) {
            ObjectNode e = out.addObject();
            for (String field : new String[] {"id", "text", "textB", "label", "entities"}) {
                if (d.hasNonNull(field)) {
                    e.set(field, d.get(field));
                }
            }
        }
        return out;
    }
}
