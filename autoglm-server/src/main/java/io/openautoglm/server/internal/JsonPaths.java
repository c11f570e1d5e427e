package io.openautoglm.server.internal;

import com.fasterxml.jackson.databind.JsonMappingException;

/** The field path of a Jackson binding error as a request's reader writes it: {@code records[2].text}. */
final class JsonPaths {
    private JsonPaths() {}

    static String of(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "$" : sb.toString();
    }
}
