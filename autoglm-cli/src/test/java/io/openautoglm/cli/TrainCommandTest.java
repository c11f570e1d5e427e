package io.openautoglm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsAFolderThatTheQuickStartSpecThenRuns() throws Exception {
        Path spec = Cli.repo().resolve("examples/specs/quickstart.json");
        Path data = Cli.repo().resolve("examples/data");
        Path model = dir.resolve("feedback-model");
        Cli.Result trained = Cli.run(
                "train",
                spec,
                "--train",
                data.resolve("feedback_examples.csv"),
                "--dev",
                data.resolve("user_feedback.csv"),
                "--out",
                model,
                "--epochs",
                1,
                "--batch-size",
                8,
                "--max-length",
                32);
        assertEquals(0, trained.code(), trained.all());
        assertTrue(trained.out().contains("model folder: " + model.toAbsolutePath()), trained.all());
        assertTrue(trained.err().contains("epoch 1: loss"), trained.all());
        assertTrue(Files.isRegularFile(model.resolve("model.onnx")), trained.all());

        Cli.Result ran = Cli.run(
                "run",
                spec,
                "--set",
                "model.name=local:" + model,
                "--out",
                dir.resolve("r.jsonl"),
                "--progress",
                "none");
        assertEquals(0, ran.code(), ran.all());
        assertTrue(ran.out().contains("accuracy"), ran.all());
    }

    @Test
    void aLabelOutsideTheTaskIsABadInputThatNamesItsLine() throws Exception {
        Path spec = Cli.repo().resolve("examples/specs/quickstart.json");
        Path train = Cli.write(dir.resolve("train.csv"), "text,label\n很好,正面\n很差,负面\n一般般,还行吧\n");
        Cli.Result r = Cli.run("train", spec, "--train", train, "--dev", train, "--out", dir.resolve("m"));
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("train.csv:4") && r.err().contains("还行吧"), r.all());
    }
}
