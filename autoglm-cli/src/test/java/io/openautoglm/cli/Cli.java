package io.openautoglm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Runs the command line in-process with stdout and stderr captured. */
final class Cli {
    private Cli() {}

    /** What one invocation gave. */
    record Result(int code, String out, String err) {
        /** Both streams, for assertion messages. */
        String all() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AutoGlmCli.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Result run(Object... args) {
        return run(Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
    }

    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** The repository's root: the module's parent folder, where surefire runs the module. */
    static Path repo() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("examples")) ? here : here.getParent();
    }
}
