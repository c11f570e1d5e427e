package io.openautoglm.core;

import io.openautoglm.core.testing.JavadocSamples;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Core's Javadoc samples, compiled here and checked against the Javadoc (see {@link JavadocSamples}). */
class JavadocSamplesTest {
    private static final Path HERE = Path.of("src/test/java/io/openautoglm/core/JavadocSamplesTest.java");

    @SuppressWarnings("unused") // compiled, not run: it reads a spec file and a source from the working directory
    private static void pipelineSpecSample() {
        // sample: PipelineSpec
        PipelineSpec spec = PipelineSpec.read(Path.of("quickstart.json"));
        try (TaskPipeline pipeline = TaskPipeline.builder().spec(spec).build();
                ResultWriters.Writer out = spec.openSink()) {
            System.out.println(pipeline.run(spec.openSource(), out).summary());
        }
        // end sample
    }

    @Test
    void pipelineSpecShowsTheCompiledSample() {
        JavadocSamples.assertShown(
                Path.of("src/main/java/io/openautoglm/core/PipelineSpec.java"), HERE, "PipelineSpec");
    }
}
