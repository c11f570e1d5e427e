package io.openautoglm.cli;

import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.train.LocalTrainer;
import io.openautoglm.train.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code autoglm train SPEC --train FILE --dev FILE --out DIR}: fine-tunes the embedded encoder for the spec's task. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        versionProvider = AutoGlmCli.Version.class,
        header = "Fine-tunes the embedded encoder for a spec's task and writes a model folder.",
        description = {
            "Fine-tunes bge-small-zh (float32) for the spec's task on the labelled --train file, keeps the epoch that "
                    + "scores best on --dev, and writes a model folder that 'local:DIR' serves on ONNX Runtime alone. "
                    + "The files are read with the spec's source format and columns. Run it again with the same --out "
                    + "to resume an interrupted run after its last finished epoch.",
            "Exit 0 when the folder is written, 2 for a bad spec, file or label, 3 when training broke off."
        })
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The pipeline spec (JSON) whose task to train.")
    Path specFile;

    @Option(names = "--train", paramLabel = "FILE", required = true, description = "Labelled training records.")
    Path train;

    @Option(names = "--dev", paramLabel = "FILE", required = true, description = "Labelled records to select on.")
    Path dev;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The model folder to write.")
    Path out;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            defaultValue = "3",
            description = "Epochs at most. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(
            names = "--max-minutes",
            paramLabel = "M",
            description = "Stops after M minutes, keeping the best epoch so far.")
    Double maxMinutes;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--learning-rate",
            paramLabel = "RATE",
            defaultValue = "5e-5",
            description = "Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(
            names = "--max-length",
            paramLabel = "TOKENS",
            defaultValue = "256",
            description = "Tokens per text; the served model reads as many. Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--base",
            paramLabel = "MODEL",
            defaultValue = "local:bge-small-zh-fp32",
            description = "The float32 ONNX model to start from. Default: ${DEFAULT-VALUE}.")
    String base;

    @Option(
            names = "--no-int8",
            negatable = false,
            description =
                    "Skips the int8 export (the tuned weights quantised into the shipped int8 graph, in DIR/int8).")
    boolean noInt8;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Overrides a field of the spec. Repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() {
        PipelineSpec s = Specs.read(specFile, overrides);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        LocalTrainer trainer;
        try {
            LocalTrainer.Builder b = LocalTrainer.builder()
                    .baseModel(base)
                    .output(out)
                    .epochs(epochs)
                    .batchSize(batchSize)
                    .learningRate(learningRate)
                    .maxLength(maxLength)
                    .seed(seed)
                    .int8(!noInt8)
                    .listener(p -> {
                        if (p.epochEnd()) {
                            stderr.printf(
                                    Locale.ROOT,
                                    "epoch %d: loss %.4f, dev %.4f, %.0f tokens/s%n",
                                    p.epoch(),
                                    p.loss(),
                                    p.devMetric(),
                                    p.tokensPerSecond());
                            stderr.flush();
                        }
                    });
            if (maxMinutes != null) {
                b.maxTime(Duration.ofMillis(Math.round(maxMinutes * 60_000)));
            }
            trainer = b.build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(AutoGlmCli.describe(e));
        }
        TrainingResult r;
        try {
            r = trainer.train(
                    s.task(), s.open(Specs.fileSource(s, train, "--train")), s.open(Specs.fileSource(s, dev, "--dev")));
        } catch (AutoGlmException e) {
            throw CliException.usage(e.getMessage()); // a record without a usable label, a task it cannot train
        }
        stdout.printf(Locale.ROOT, "model folder: %s%n", r.folder().toAbsolutePath());
        stdout.printf(
                Locale.ROOT,
                "best epoch %d of %d, dev %s %.4f%s, %.0f s%n",
                r.bestEpoch(),
                r.epochs().size(),
                r.metric(),
                r.devMetric(),
                r.stoppedEarly() ? " (stopped early)" : "",
                r.seconds());
        if (!Double.isNaN(r.int8DevMetric())) {
            stdout.printf(
                    Locale.ROOT,
                    "int8 export: %s, dev %s %.4f as served%n",
                    r.folder().resolve("int8").toAbsolutePath(),
                    r.metric(),
                    r.int8DevMetric());
        }
        stdout.printf(
                "run it: autoglm run %s --set model.name=local:%s%n",
                specFile, r.folder().toAbsolutePath());
        stdout.flush();
        return AutoGlmCli.OK;
    }
}
