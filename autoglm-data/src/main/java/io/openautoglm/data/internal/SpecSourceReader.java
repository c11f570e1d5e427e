package io.openautoglm.data.internal;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.spi.SourceReader;
import io.openautoglm.data.Columns;
import io.openautoglm.data.DataLoader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/** Opens a pipeline spec's csv, jsonl and jdbc sources through {@link DataLoader}. */
public final class SpecSourceReader implements SourceReader {

    @Override
    public Set<String> formats() {
        return Set.of("csv", "jsonl", "jdbc");
    }

    @Override
    public Dataset open(PipelineSpec.Source s, Path baseDir, char[] password) {
        DataLoader loader = switch (s.format()) {
            case "csv" -> DataLoader.fromCsv(baseDir.resolve(s.path()).normalize());
            case "jsonl" -> DataLoader.fromJsonl(baseDir.resolve(s.path()).normalize());
            case "jdbc" ->
                s.user() == null && password == null
                        ? DataLoader.fromJdbc(s.url(), s.query())
                        : DataLoader.fromJdbc(s.url(), s.user(), password, s.query());
            default -> throw new IllegalArgumentException("source.format: expected csv, jsonl or jdbc");
        };
        if (password != null) {
            Arrays.fill(password, '\0'); // the loader keeps its own copy
        }
        if (s.charset() != null) {
            loader = loader.charset(Charset.forName(s.charset()));
        }
        if (s.delimiter() != null) {
            loader = loader.delimiter(s.delimiter());
        }
        if (s.header() != null) {
            loader = loader.header(s.header());
        }
        if (s.onBadRecord() != null) {
            loader = loader.onBadRecord(s.onBadRecord());
        }
        Columns.Builder c = Columns.builder().text(s.textColumn());
        if (s.textBColumn() != null) {
            c.textB(s.textBColumn());
        }
        if (s.labelColumn() != null) {
            c.label(s.labelColumn());
        }
        if (s.idColumn() != null) {
            c.id(s.idColumn());
        }
        if (s.entitiesColumn() != null) {
            c.entities(s.entitiesColumn());
        }
        if (!s.metadataColumns().isEmpty()) {
            c.metadata(s.metadataColumns().toArray(String[]::new));
        }
        return loader.load(c.build());
    }
}
