package io.openautoglm.cli;

/** A failure the command line reports as one line with its exit code; no stack trace unless asked for. */
final class CliException extends RuntimeException {
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad usage or a bad spec: exit 2. */
    static CliException usage(String message) {
        return new CliException(AutoGlmCli.USAGE, message);
    }

    /** The work could not start or broke off: exit 3. */
    static CliException aborted(String message, Throwable cause) {
        return new CliException(AutoGlmCli.ABORTED, message, cause);
    }

    int exitCode() {
        return exitCode;
    }
}
