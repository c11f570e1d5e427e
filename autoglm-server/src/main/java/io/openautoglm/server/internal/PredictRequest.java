package io.openautoglm.server.internal;

import java.util.List;

/**
 * The body of {@code POST /api/v1/pipelines/{name}/predict}: {@code {"records": [{"id": "…", "text": "…", "textB":
 * "…"}]}}; {@code id} and {@code textB} (matching) are optional. Unknown fields are refused with their path.
 */
public record PredictRequest(List<Item> records) {
    /** One record. */
    public record Item(String id, String text, String textB) {}
}
