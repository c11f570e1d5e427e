/**
 * Loading texts for Open-AutoGLM pipelines: {@link io.openautoglm.data.DataLoader} reads CSV, JSON Lines and
 * JDBC sources into streaming {@link io.openautoglm.core.Dataset}s, mapped by {@link io.openautoglm.data.Columns}.
 *
 * <pre>{@code
 * Dataset dataset = DataLoader.fromCsv(Path.of("user_feedback.csv")).load("text", "label");
 * }</pre>
 */
package io.openautoglm.data;
