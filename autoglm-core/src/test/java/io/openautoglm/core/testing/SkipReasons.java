package io.openautoglm.core.testing;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.LoggerFactory;

/**
 * Says in the build output why a test was skipped. Surefire counts skipped tests but shows no reason, so each
 * one is logged as a WARN line beside its class's count, e.g.
 * {@code [main] WARN …SharedDatasetsTest - SKIPPED chnSentiCorpTestSplit: shared dataset not present: …}.
 * A module turns it on for all its tests with two files in src/test/resources: junit-platform.properties with
 * {@code junit.jupiter.extensions.autodetection.enabled=true}, and
 * META-INF/services/org.junit.jupiter.api.extension.Extension naming this class. Shipped in core's
 * test-fixtures jar.
 */
public final class SkipReasons implements TestWatcher {
    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        String reason = cause == null || cause.getMessage() == null ? "an assumption failed" : cause.getMessage();
        log(context, reason.replaceFirst("^Assumption failed: ", ""));
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        log(context, reason.orElse("disabled"));
    }

    private static void log(ExtensionContext context, String reason) {
        String method = context.getRequiredTestMethod().getName();
        String display = context.getDisplayName();
        String name = display.startsWith(method + "(") ? method : method + " " + display;
        LoggerFactory.getLogger(context.getRequiredTestClass()).warn("SKIPPED {}: {}", name, reason);
    }
}
