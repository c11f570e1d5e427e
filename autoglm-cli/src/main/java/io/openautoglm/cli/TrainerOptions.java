package io.openautoglm.cli;

import io.openautoglm.core.TextNormalizer;
import io.openautoglm.train.LocalTrainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The fine-tuning options that {@code train} and {@code distill} share, and the trainer they make. */
final class TrainerOptions {
    @Option(
            names = "--epochs",
            paramLabel = "N",
            defaultValue = "3",
            description = "Epochs at most. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(
            names = "--max-minutes",
            paramLabel = "M",
            description = "Stops training after M minutes, keeping the best epoch so far; the learning rate decays"
                    + " to zero at that limit when it comes before the last step.")
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

    @Option(
            names = "--freeze-word-embeddings",
            negatable = false,
            description = "Keeps the base model's word-embedding table as it is: about a tenth less time per step"
                    + " on a CPU; every layer still trains.")
    boolean freezeWordEmbeddings;

    @Option(
            names = "--average-weights",
            negatable = false,
            description = "Keeps a moving average of the weights (mean age half an epoch) as the model,"
                    + " instead of the last step's weights; dev scores both.")
    boolean averageWeights;

    @Option(
            names = "--bi-encoder",
            negatable = false,
            description = "For matching: embeds each text alone and matches by the cosine of the two vectors (a"
                    + " bi-encoder), instead of reading the pair together (a cross-encoder).")
    boolean biEncoder;

    @Option(
            names = "--no-probe",
            negatable = false,
            description = "For classification: starts the head at random instead of from a linear probe of the base"
                    + " model's sentence vectors, saving the probe's time.")
    boolean noProbe;

    /**
     * The trainer these options describe, writing into {@code out}, with one progress line per epoch on stderr,
     * normalising texts with the spec's normaliser as the pipeline that serves the model will.
     *
     * @throws CliException for a value the trainer refuses (exit 2)
     */
    LocalTrainer trainer(Path out, PrintWriter stderr, TextNormalizer normalizer) {
        return trainer(out, stderr, () -> {}, normalizer);
    }

    /** As {@link #trainer(Path, PrintWriter)}, running {@code beforeReport} before each epoch's line. */
    LocalTrainer trainer(Path out, PrintWriter stderr, Runnable beforeReport, TextNormalizer normalizer) {
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
                    .trainWordEmbeddings(!freezeWordEmbeddings)
                    .averageWeights(averageWeights)
                    .biEncoder(biEncoder)
                    .probe(!noProbe)
                    .normalizer(normalizer)
                    .listener(p -> {
                        if (p.epochEnd()) {
                            beforeReport.run();
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
            return b.build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(AutoGlmCli.describe(e));
        }
    }
}
