package io.openautoglm.train;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.testing.JavadocSamples;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module's Javadoc samples, compiled here and checked against the Javadoc (see {@link JavadocSamples}). */
class JavadocSamplesTest {
    private static final Path HERE = Path.of("src/test/java/io/openautoglm/train/JavadocSamplesTest.java");

    @SuppressWarnings({"unused", "resource"})
    private static void localTrainerSample(TaskSpec task, Dataset train, Dataset dev) {
        // sample: LocalTrainer
        TrainingResult r = LocalTrainer.builder()
                .output(Path.of("models/sentiment"))
                .epochs(3)
                .build()
                .train(task, train, dev);
        TaskPipeline p =
                TaskPipeline.builder().task(task).model("local:" + r.folder()).build();
        // end sample
    }

    @SuppressWarnings("unused")
    private static void distillerSample(PipelineSpec spec) {
        // sample: Distiller
        DistillationResult r = Distiller.builder()
                .teacher("glm-4-flash")
                .sample(2000)
                .student(LocalTrainer.builder()
                        .output(Path.of("models/distilled"))
                        .build())
                .build()
                .distill(spec);
        System.out.println(r.agreement() + " " + r.studentGoldScore() + " "
                + r.teacherUsage().cost());
        // end sample
    }

    @Test
    void distiller() {
        JavadocSamples.assertShown(Path.of("src/main/java/io/openautoglm/train/Distiller.java"), HERE, "Distiller");
    }

    @Test
    void localTrainer() {
        JavadocSamples.assertShown(
                Path.of("src/main/java/io/openautoglm/train/LocalTrainer.java"), HERE, "LocalTrainer");
    }
}
