/**
 * Loading texts for Open-AutoGLM pipelines: {@link io.openautoglm.data.DataLoader} reads CSV, JSON Lines and
 * JDBC sources into streaming {@link io.openautoglm.core.Dataset}s, mapped by {@link io.openautoglm.data.Columns},
 * or, for tables that are not texts, into streaming {@link io.openautoglm.data.RowSource}s of {@link
 * io.openautoglm.data.Row}s (source, line, values).
 *
 * <pre>{@code
 * Dataset dataset = DataLoader.fromCsv(Path.of("user_feedback.csv")).load("text", "label");
 * RowSource nodes = DataLoader.fromCsv(Path.of("nodes.csv")).rows("id", "label");
 * }</pre>
 */
package io.openautoglm.data;
