package io.openautoglm.core.internal;

import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.RecordCursor;
import io.openautoglm.core.spi.SourceReader;
import java.nio.file.Path;
import java.util.ServiceLoader;

/** Opens a spec's sources through the {@link SourceReader}s on the classpath. */
public final class SpecSources {
    private SpecSources() {}

    /**
     * A dataset that opens the source on first use and remembers where it came from, so that a spec written from
     * it names the source instead of copying its records.
     */
    public static Dataset open(PipelineSpec.Source source, Path baseDir) {
        return new SourceDataset(source, baseDir.toAbsolutePath().normalize());
    }

    /** The source a dataset was opened from, or {@code null} for a dataset of the caller's own. */
    public static PipelineSpec.Source sourceOf(Dataset dataset) {
        return dataset instanceof SourceDataset s ? s.source : null;
    }

    /** The folder a dataset opened from a spec's source resolves its path against, or {@code null}. */
    public static Path baseDirOf(Dataset dataset) {
        return dataset instanceof SourceDataset s ? s.baseDir : null;
    }

    private static Dataset read(PipelineSpec.Source source, Path baseDir) {
        for (SourceReader r : ServiceLoader.load(SourceReader.class, SpecSources.class.getClassLoader())) {
            if (r.formats().contains(source.format())) {
                char[] password = source.password() == null
                        ? null
                        : SecretReferences.resolve("source.password", source.password(), baseDir)
                                .toCharArray();
                return r.open(source, baseDir, password);
            }
        }
        throw new AutoGlmException("source.format: no reader for " + source.format() + " sources on the classpath; "
                + "add the io.openautoglm:autoglm-data dependency");
    }

    private static final class SourceDataset implements Dataset {
        private final PipelineSpec.Source source;
        private final Path baseDir;
        private volatile Dataset opened;

        SourceDataset(PipelineSpec.Source source, Path baseDir) {
            this.source = source;
            this.baseDir = baseDir;
        }

        private Dataset dataset() {
            Dataset d = opened;
            if (d == null) {
                synchronized (this) {
                    if (opened == null) {
                        opened = read(source, baseDir);
                    }
                    d = opened;
                }
            }
            return d;
        }

        @Override
        public String name() {
            Dataset d = opened;
            if (d != null) {
                return d.name();
            }
            String where = source.describe();
            return source.path() != null ? Path.of(where).getFileName().toString() : where;
        }

        @Override
        public RecordCursor open() {
            return dataset().open();
        }
    }
}
