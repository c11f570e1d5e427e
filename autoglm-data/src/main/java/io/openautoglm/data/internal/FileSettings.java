package io.openautoglm.data.internal;

import java.nio.charset.Charset;
import java.nio.file.Path;

/** What a file loader was configured with; {@code delimiter}, {@code quote} and {@code header} are CSV only. */
public record FileSettings(Path path, Charset charset, char delimiter, char quote, boolean header) {}
