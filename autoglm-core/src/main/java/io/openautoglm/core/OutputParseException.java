package io.openautoglm.core;

/** A model's answer that cannot be read as the task's result. Keeps the raw answer. */
public class OutputParseException extends AutoGlmException {
    private final String rawOutput;

    public OutputParseException(String message, String rawOutput) {
        super(message + "; raw answer: " + abbreviate(rawOutput));
        this.rawOutput = rawOutput;
    }

    /** The model's answer exactly as received. */
    public String rawOutput() {
        return rawOutput;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 200 ? '"' + s + '"' : '"' + s.substring(0, 200) + "…\" (" + s.length() + " chars)";
    }
}
