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
                32,
                "--no-probe");
        assertEquals(0, trained.code(), trained.all());
        assertTrue(trained.out().contains("model folder: " + model.toAbsolutePath()), trained.all());
        assertTrue(
                Files.readString(model.resolve("MODEL_CARD.md")).contains("without a linear probe"),
                "the flag reaches the trainer");
        assertTrue(trained.err().contains("epoch 1: loss"), trained.all());
        assertTrue(Files.isRegularFile(model.resolve("model.onnx")), trained.all());

        Cli.Result ran = runWith(spec, model);
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

    @Test
    void trainsATaggerFromJsonlEntitiesThatRunThenServes() throws Exception {
        Path spec = Cli.write(dir.resolve("ner.json"), """
                {"version": 1,
                 "source": {"format": "jsonl", "path": "dev.jsonl", "textColumn": "text", "entitiesColumn": "entities"},
                 "task": {"type": "NAMED_ENTITY_RECOGNITION", "entityTypes": ["PER", "ORG"]},
                 "model": {"name": "local:bge-small-zh"}}
                """);
        String[] people = {"张伟", "李娜", "王芳", "刘洋", "陈静", "赵磊"};
        String[] orgs = {"华为", "腾讯", "百度", "小米科技", "京东", "网易"};
        StringBuilder train = new StringBuilder();
        StringBuilder dev = new StringBuilder();
        for (int i = 0; i < 36; i++) {
            String p = people[i % 6];
            String o = orgs[(i / 6 + i) % 6];
            String line = i % 2 == 0
                    ? "{\"text\": \"%s在%s工作\", \"entities\": [{\"start\": 0, \"end\": %d, \"type\": \"PER\", \"mention\": \"%s\"}, {\"start\": %d, \"end\": %d, \"type\": \"ORG\", \"mention\": \"%s\"}]}\n"
                            .formatted(p, o, p.length(), p, p.length() + 1, p.length() + 1 + o.length(), o)
                    : "{\"text\": \"%s说%s很好\", \"entities\": [{\"start\": 0, \"end\": %d, \"type\": \"ORG\", \"mention\": \"%s\"}, {\"start\": %d, \"end\": %d, \"type\": \"PER\", \"mention\": \"%s\"}]}\n"
                            .formatted(o, p, o.length(), o, o.length() + 1, o.length() + 1 + p.length(), p);
            (i < 30 ? train : dev).append(line);
        }
        Cli.write(dir.resolve("train.jsonl"), train.toString());
        Cli.write(dir.resolve("dev.jsonl"), dev.toString());
        Path model = dir.resolve("ner-model");
        Cli.Result trained = Cli.run(
                "train",
                spec,
                "--train",
                dir.resolve("train.jsonl"),
                "--dev",
                dir.resolve("dev.jsonl"),
                "--out",
                model,
                "--epochs",
                3,
                "--learning-rate",
                "1e-4",
                "--batch-size",
                8,
                "--max-length",
                16,
                "--freeze-word-embeddings",
                "--average-weights");
        assertEquals(0, trained.code(), trained.all());
        assertTrue(trained.out().contains("dev entity micro-F1 (token spans)"), trained.all());
        assertTrue(
                Files.readString(model.resolve("MODEL_CARD.md")).contains("the word-embedding table frozen"),
                "the flag reaches the trainer");
        assertTrue(Files.readString(model.resolve("MODEL_CARD.md")).contains("moving average"), "and so does this one");

        Cli.Result ran = runWith(spec, model);
        assertTrue(Files.readString(dir.resolve("r.jsonl")).contains("\"type\":\"PER\""), ran.all());
    }

    @Test
    void trainsABiEncoderThatRunThenMatchesByCosine() throws Exception {
        Path pairs = Cli.repo().resolve("examples/data/question_pairs.csv");
        Path spec = Cli.write(dir.resolve("pairs.json"), """
                {"version": 1,
                 "source": {"format": "csv", "path": "%s", "textColumn": "text_a", "textBColumn": "text_b",
                            "labelColumn": "label"},
                 "task": {"type": "SEMANTIC_MATCHING"},
                 "model": {"name": "local:bge-small-zh"}}
                """.formatted(
                        pairs.toAbsolutePath().toString().replace("\\", "/")));
        Path model = dir.resolve("pair-model");
        Cli.Result trained = Cli.run(
                "train",
                spec,
                "--train",
                pairs,
                "--dev",
                pairs,
                "--out",
                model,
                "--epochs",
                1,
                "--max-length",
                32,
                "--no-int8",
                "--bi-encoder");
        assertEquals(0, trained.code(), trained.all());
        String head = Files.readString(model.resolve("autoglm-head.json"));
        assertTrue(
                head.replace(" ", "").contains("\"method\":\"threshold\""),
                () -> "the flag reaches the trainer: " + head);
        assertTrue(Files.readString(model.resolve("MODEL_CARD.md")).contains("cosine similarity"), trained.all());

        Cli.Result ran = runWith(spec, model);
        assertTrue(ran.out().contains("accuracy"), ran.all());
    }

    /** {@code autoglm run SPEC} with the trained folder as its model, results into {@code r.jsonl}; it must succeed. */
    private Cli.Result runWith(Path spec, Path model) throws Exception {
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
        return ran;
    }
}
