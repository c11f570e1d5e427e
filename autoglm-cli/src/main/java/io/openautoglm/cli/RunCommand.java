package io.openautoglm.cli;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.PipelineRun;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.RecordCursor;
import io.openautoglm.core.ResultSink;
import io.openautoglm.core.ResultWriters;
import io.openautoglm.core.TaskPipeline;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code autoglm run SPEC}: source → pipeline → sink, with progress on stderr and the summary on stdout. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = AutoGlmCli.Version.class,
        header = "Runs a pipeline spec and prints its summary.",
        description = {
            "Runs a pipeline spec: reads its source, runs every record through the model, writes the "
                    + "results to its sink (or --out) and prints the summary: counts, usage, and the metrics when the source "
                    + "has gold answers.",
            "Exit 0 when every record succeeded, 1 when some failed, 2 for a bad spec or usage, 3 when the run could "
                    + "not start or broke off."
        })
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The pipeline spec (JSON).")
    Path specFile;

    @Option(
            names = "--set",
            paramLabel = "PATH=VALUE",
            description = "Overrides a field of the spec by its JSON path, e.g. model.name=glm-4-flash or "
                    + "task.labels=好,坏. Repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--limit", paramLabel = "N", description = "Runs at most N records of the source.")
    Long limit;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Writes the results here instead of the spec's sink: .jsonl (every field) or .csv.")
    Path out;

    @Option(
            names = "--progress",
            paramLabel = "MODE",
            defaultValue = "auto",
            description = "auto (a bar on a terminal, plain lines otherwise), bar, plain or none. Default: "
                    + "${DEFAULT-VALUE}.")
    ProgressReporter.Mode progress;

    @Option(
            names = "--progress-every",
            paramLabel = "SECONDS",
            defaultValue = "5",
            hidden = true,
            description = "Seconds between plain progress lines.")
    double progressEvery;

    @Override
    public Integer call() {
        PipelineSpec s = Specs.read(specFile, overrides);
        if (limit != null) {
            s = Specs.withLimit(s, limit);
        }
        if (out != null) {
            s = s.withSink(Specs.sinkFor(out));
        }
        Specs.requireSource(s, specFile);
        Specs.requireProvider(s, specFile, overrides);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        ProgressReporter progressReporter = ProgressReporter.create(
                progress, stderr, Duration.ofMillis((long) (Math.max(0, progressEvery) * 1000)));

        final PipelineSpec run = s;
        TaskPipeline pipeline;
        try {
            pipeline = TaskPipeline.builder()
                    .spec(run)
                    .progressListener(progressReporter)
                    .build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(AutoGlmCli.describe(e)); // a value the spec let through that the model refuses
        }
        Interrupt interrupt = new Interrupt();
        try (pipeline) {
            Dataset data = run.openSource();
            if (progressReporter.wantsTotal()) {
                countInBackground(run, progressReporter);
            }
            PipelineResult result;
            try (ResultWriters.Writer writer = run.sink() == null ? null : openSink(run)) {
                ResultSink sink = writer != null ? writer : r -> {};
                PipelineRun handle = pipeline.start(data, sink);
                interrupt.cancels(handle);
                try {
                    result = handle.join();
                } catch (IllegalArgumentException e) {
                    // the model opens with the run's first batch: an option it refuses is a bad spec, as for optimize
                    throw CliException.usage(AutoGlmCli.describe(e));
                }
            } finally {
                progressReporter.finish();
            }
            stdout.print(result.summary());
            for (String line : metricLines(result)) {
                stdout.println(line);
            }
            if (run.sink() != null) {
                stdout.println("results: " + run.resolve(run.sink().path()));
            }
            stdout.flush();
            return result.failed() > 0 ? AutoGlmCli.FAILED_RECORDS : AutoGlmCli.OK;
        } finally {
            interrupt.done();
        }
    }

    /**
     * Ctrl-C (or a TERM signal) cancels the run: the records not yet sent fail as cancelled, the sink gets every
     * record and is closed, and the summary is printed before the JVM exits.
     */
    private static final class Interrupt {
        private final CountDownLatch finished = new CountDownLatch(1);
        private volatile PipelineRun handle;
        private final Thread hook = new Thread(
                () -> {
                    PipelineRun h = handle;
                    if (h != null) {
                        h.cancel();
                    }
                    try {
                        finished.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "autoglm-cancel");
        private boolean hooked;

        Interrupt() {
            try {
                Runtime.getRuntime().addShutdownHook(hook);
                hooked = true;
            } catch (IllegalStateException shuttingDown) {
                // already on the way out: run without the hook
            }
        }

        void cancels(PipelineRun run) {
            this.handle = run;
        }

        void done() {
            finished.countDown();
            if (hooked) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running; it returns now that the run is over
                }
            }
        }
    }

    private static ResultWriters.Writer openSink(PipelineSpec run) {
        try {
            return run.openSink();
        } catch (UncheckedIOException e) {
            throw CliException.aborted("cannot write the results: " + AutoGlmCli.describe(e), e);
        }
    }

    /** Counts the source's records (up to the limit) on a daemon thread, for the bar's share and ETA. */
    private static void countInBackground(PipelineSpec run, ProgressReporter reporter) {
        long max = run.run().limit() == null ? Long.MAX_VALUE : run.run().limit();
        Thread t = new Thread(
                () -> {
                    long n = 0;
                    try (RecordCursor c = run.openSource().open()) {
                        while (n < max && c.hasNext()) {
                            c.next();
                            n++;
                        }
                        reporter.total(n);
                    } catch (RuntimeException e) {
                        // the bar goes without a total; the run reports its own errors
                    }
                },
                "autoglm-count");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The headline metrics one per line, {@code accuracy 0.8125}, {@code macro-F1 0.7000}, {@code entity-F1 …}:
     * easy to grep, whatever the summary's table looks like.
     */
    static List<String> metricLines(PipelineResult result) {
        List<String> lines = new ArrayList<>();
        if (result.metrics().isEmpty()) {
            return lines;
        }
        Metrics m = result.metrics().get();
        if (m instanceof Metrics.ClassificationMetrics c) {
            lines.add(line("accuracy", c.accuracy()));
            lines.add(line("macro-F1", c.macroF1()));
        } else if (m instanceof Metrics.EntityMetrics e) {
            lines.add(line("entity-precision", e.micro().precision()));
            lines.add(line("entity-recall", e.micro().recall()));
            lines.add(line("entity-F1", e.micro().f1()));
        } else if (m instanceof Metrics.MatchingMetrics p) {
            lines.add(line("accuracy", p.accuracy()));
            lines.add(line("positive-F1", p.positive().f1()));
        }
        return lines;
    }

    private static String line(String name, double value) {
        return String.format(Locale.ROOT, "%s %.4f", name, value);
    }
}
