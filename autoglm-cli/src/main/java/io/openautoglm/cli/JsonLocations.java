package io.openautoglm.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each member of a JSON document is written: JSON path ({@code $.model.name}, {@code $.task.labels[1]}) to
 * line and column, both 1-based, of its name (of its value for array items). For problems found after the spec was
 * read, so that they point into the file as the reader's own problems do.
 */
final class JsonLocations {
    private static final JsonFactory JSON = new JsonFactory();
    private final Map<String, int[]> where;

    private JsonLocations(Map<String, int[]> where) {
        this.where = where;
    }

    /** The locations in a document; none when it is not JSON. */
    static JsonLocations of(String json) {
        Map<String, int[]> where = new HashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            Deque<String[]> frames = new ArrayDeque<>(); // {path, next array index or null}
            String field = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                JsonLocation loc = p.currentTokenLocation();
                int[] lc = {loc.getLineNr(), loc.getColumnNr()};
                String parent = frames.isEmpty() ? "$" : frames.peek()[0];
                if (t == JsonToken.FIELD_NAME) {
                    field = p.currentName();
                    where.putIfAbsent(parent + "." + field, lc);
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    frames.pop();
                    continue;
                }
                String here;
                if (field != null) {
                    here = parent + "." + field;
                    field = null;
                } else if (!frames.isEmpty() && frames.peek()[1] != null) {
                    String[] top = frames.peek();
                    int i = Integer.parseInt(top[1]);
                    top[1] = String.valueOf(i + 1);
                    here = parent + "[" + i + "]";
                } else {
                    here = "$";
                }
                where.putIfAbsent(here, lc);
                if (t == JsonToken.START_OBJECT) {
                    frames.push(new String[] {here, null});
                } else if (t == JsonToken.START_ARRAY) {
                    frames.push(new String[] {here, "0"});
                }
            }
        } catch (IOException e) {
            // not JSON: the spec reader has said so already; the problems then have no place
        }
        return new JsonLocations(where);
    }

    /** The line and column of a path, or of its nearest written parent; {0, 0} when none is written. */
    int[] at(String path) {
        String p = path;
        while (true) {
            int[] lc = where.get(p);
            if (lc != null) {
                return lc;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return new int[] {0, 0};
            }
            p = p.substring(0, cut);
        }
    }
}
