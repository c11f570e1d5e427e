package io.openautoglm.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps Javadoc samples compiled: a test holds each sample's code between {@code // sample: NAME} and
 * {@code // end sample} markers, where the compiler checks it, and {@link #assertShown} checks that the class's
 * first {@code <pre>{@code …}</pre>} block shows exactly that code (whitespace and {@code //} comment lines
 * aside). A sample that calls what does not exist then fails the build.
 */
public final class JavadocSamples {
    private static final Pattern DOC = Pattern.compile("<pre>\\{@code\n(.*?)\n \\* }</pre>", Pattern.DOTALL);

    private JavadocSamples() {}

    /**
     * @param mainSource the class whose Javadoc shows the sample, e.g. {@code src/main/java/…/TaskPipeline.java}
     * @param testSource the test that compiles it
     * @param name       the marker's name
     */
    public static void assertShown(Path mainSource, Path testSource, String name) {
        Matcher region = Pattern.compile(
                        "// sample: " + Pattern.quote(name) + "\n(.*?)\n\\s*// end sample", Pattern.DOTALL)
                .matcher(read(testSource));
        assertTrue(region.find(), "no '// sample: " + name + "' region in " + testSource);
        Matcher doc = DOC.matcher(read(mainSource));
        assertTrue(doc.find(), "no <pre>{@code …}</pre> sample in the Javadoc of " + mainSource);
        assertEquals(
                normalise(region.group(1)),
                normalise(doc.group(1).replaceAll("(?m)^ \\* ?", "")),
                "the Javadoc sample of " + mainSource.getFileName() + " differs from the compiled one in "
                        + testSource.getFileName());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The code without comment lines and whitespace: a formatter may wrap the test's copy differently. */
    private static String normalise(String code) {
        return code.lines()
                .filter(l -> !l.strip().startsWith("// "))
                .reduce("", String::concat)
                .replaceAll("\\s+", "");
    }
}
