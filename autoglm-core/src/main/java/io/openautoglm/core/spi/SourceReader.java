package io.openautoglm.core.spi;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineSpec;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens the records a {@link PipelineSpec.Source} describes, found through {@link java.util.ServiceLoader}.
 * {@code io.openautoglm:autoglm-data} provides the csv, jsonl and jdbc formats.
 */
public interface SourceReader {

    /** The formats this reader opens, such as {@code csv}. */
    Set<String> formats();

    /**
     * Opens the source: checks what can be checked at once (the file, the columns) and streams the records.
     *
     * @param source   the source as the spec gives it; its secret references are still references
     * @param baseDir  the folder relative paths resolve against
     * @param password the resolved JDBC password, or {@code null}
     */
    Dataset open(PipelineSpec.Source source, Path baseDir, char[] password);
}
