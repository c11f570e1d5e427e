package io.openautoglm.data.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.Map;
import java.util.Set;

/** JSON helpers shared by the loaders. */
final class Json {
    /** Rejects {@code {"a":1} junk}: a line holds exactly one value. */
    static final ObjectReader READER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .reader();

    private Json() {}

    /** Parses text, or throws with Jackson's message minus its source excerpt. */
    static JsonNode parse(String text, String what) throws BadRecordException {
        try {
            JsonNode node = READER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new BadRecordException(what + " is empty, expected JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadRecordException(what + " is not valid JSON: " + shortMessage(e));
        }
    }

    static String shortMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            m = e.getMessage();
        }
        int nl = m.indexOf('\n');
        m = nl >= 0 ? m.substring(0, nl) : m;
        if (e.getLocation() != null && e.getLocation().getColumnNr() > 0) {
            m += " (column " + e.getLocation().getColumnNr() + ")";
        }
        return m;
    }

    /** "a number (42)", "an object", "missing": for wrong-type messages. */
    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "missing";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return "a string (\"" + abbreviate(v.textValue()) + "\")";
        }
        if (v.isNumber()) {
            return "a number (" + v.asText() + ")";
        }
        if (v.isBoolean()) {
            return "a boolean (" + v.asText() + ")";
        }
        if (v.isArray()) {
            return "an array";
        }
        return "an object";
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** The node at a dotted path: the key itself first, else one step per dot. {@code null} when absent. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode direct = root.get(path);
        if (direct != null || path.indexOf('.') < 0) {
            return direct;
        }
        JsonNode node = root;
        for (String step : path.split("\\.", -1)) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(step);
        }
        return node;
    }

    /** Every leaf of an object by dotted path, skipping those in {@code skip}; arrays stay whole, as JSON. */
    static void flatten(JsonNode node, String prefix, Set<String> skip, Map<String, String> into) {
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            JsonNode v = f.getValue();
            if (skip.contains(path) || v.isNull()) {
                continue;
            }
            if (v.isObject()) {
                flatten(v, path, skip, into);
            } else {
                into.put(path, v.isValueNode() ? v.asText() : v.toString());
            }
        }
    }
}
