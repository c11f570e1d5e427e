/**
 * Open-AutoGLM's core API: {@link io.openautoglm.core.Dataset}s of {@link io.openautoglm.core.TextRecord}s go
 * through a {@link io.openautoglm.core.TaskPipeline} (normalise, check, batch, model, parse) and come out as a
 * {@link io.openautoglm.core.PipelineResult} with typed predictions, failures with their reasons, metrics and
 * usage. Models plug in through {@link io.openautoglm.core.spi}.
 */
package io.openautoglm.core;
