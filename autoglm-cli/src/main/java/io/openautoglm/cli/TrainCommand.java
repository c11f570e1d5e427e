package io.openautoglm.cli;

import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.train.LocalTrainer;
import io.openautoglm.train.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    TrainerOptions trainerOptions;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Overrides a field of the spec. Repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() {
        PipelineSpec s = Specs.read(specFile, overrides);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        LocalTrainer trainer = trainerOptions.trainer(out, stderr, s.normalizer());
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
