package io.openautoglm.cli;

import io.openautoglm.core.PipelineSpecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code autoglm} command: runs, checks and optimises pipeline specs, lists the model providers, searches graph
 * neural networks, and prints its own bash completion script.
 *
 * <pre>
 * java -jar autoglm.jar run examples/specs/quickstart.json
 * java -jar autoglm.jar validate my-spec.json --set model.name=glm-4-flash
 * </pre>
 *
 * <p>Exit codes: {@value #OK} every record succeeded, {@value #FAILED_RECORDS} the run finished with failed records,
 * {@value #USAGE} a bad spec or bad usage, {@value #ABORTED} the run could not start or broke off. Errors are one
 * line on stderr, {@code autoglm: <message>}; {@code --verbose} adds the stack trace and info-level logging.
 *
 * <p>In-process use, as the tests do: {@code AutoGlmCli.commandLine().setOut(out).setErr(err).execute(args)}.
 */
@Command(
        name = "autoglm",
        mixinStandardHelpOptions = true,
        versionProvider = AutoGlmCli.Version.class,
        description = "Runs, checks and optimises Open-AutoGLM pipeline specs; fine-tunes and distils the embedded "
                + "encoder; searches graph neural networks.",
        subcommands = {
            RunCommand.class,
            ValidateCommand.class,
            OptimizeCommand.class,
            ModelsCommand.class,
            GnnCommand.class,
            TrainCommand.class,
            DistillCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every record succeeded (or the command did what it was asked)",
            "1:the run finished, with failed records",
            "2:bad spec or bad usage",
            "3:the run could not start or broke off (model, source, I/O)"
        })
public final class AutoGlmCli implements Runnable {
    /** Every record succeeded, or a command other than run did what it was asked. */
    public static final int OK = 0;
    /** The run finished, and some records failed. */
    public static final int FAILED_RECORDS = 1;
    /** A bad spec or bad usage: nothing was run. */
    public static final int USAGE = 2;
    /** The run could not start or broke off: the model would not open, the source was unreadable, an I/O error. */
    public static final int ABORTED = 3;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Log at info level and show the stack trace of an error.")
    boolean verbose;

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "name a command: run, validate, optimize, models, gnn, train, distill or completion");
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose")) {
                // read once, when the first logger is made: before any command runs
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
            }
        }
        if (System.getProperty("ai.djl.offline") == null) {
            // the models ship in the jar: DJL must not look for anything on the network
            System.setProperty("ai.djl.offline", "true");
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling and exit codes; set its out and err writers to capture them. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new AutoGlmCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(AutoGlmCli::usageError);
        cl.setExecutionExceptionHandler(AutoGlmCli::failure);
        return cl;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("autoglm: " + withoutValues(e));
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more.");
        err.flush();
        return USAGE;
    }

    /**
     * picocli's message without the arguments it would quote: an argument the command did not expect, or a --set
     * without its '=', is as likely a key typed one place off ({@code --set model.options.apiKey= sk-…}).
     */
    private static String withoutValues(ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> options = new ArrayList<>();
            int others = 0;
            for (String a : u.getUnmatched()) {
                if (a.startsWith("-")) {
                    options.add(a.contains("=") ? a.substring(0, a.indexOf('=') + 1) + "…" : a);
                } else {
                    others++;
                }
            }
            List<String> parts = new ArrayList<>();
            if (!options.isEmpty()) {
                parts.add("unknown option" + (options.size() == 1 ? " " : "s ") + String.join(", ", options));
            }
            if (others > 0) {
                parts.add(others + " unexpected argument" + (others == 1 ? "" : "s") + " (not shown; a --set value "
                        + "follows its '=' with no space)");
            }
            return String.join("; ", parts);
        }
        return String.valueOf(e.getMessage()).replaceAll("(?s)(should be in KEY=VALUE format) but was .*", "$1");
    }

    private static int failure(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        int code;
        String message;
        if (e instanceof CliException c) {
            code = c.exitCode();
            message = c.getMessage();
        } else if (e instanceof PipelineSpecException s) {
            Problems.print(err, s.specName(), s.problems());
            code = USAGE;
            message = s.problems().size() + (s.problems().size() == 1 ? " problem" : " problems") + " in "
                    + s.specName() + "; nothing was run (see 'autoglm validate')";
        } else {
            code = ABORTED;
            message = describe(e);
        }
        err.println("autoglm: " + message);
        if (verbose(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** An exception's message, or its type when it has none; its cause's message when it only wraps one. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        if ((m == null || m.isBlank()) && e.getCause() != null) {
            return describe(e.getCause());
        }
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** The version the build wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = AutoGlmCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                // the version is for people; a missing one is shown as unknown
            }
            return new String[] {
                "autoglm " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
