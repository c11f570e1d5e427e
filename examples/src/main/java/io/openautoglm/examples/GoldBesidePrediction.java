package io.openautoglm.examples;

import io.openautoglm.core.Prediction;
import io.openautoglm.core.RecordResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Prints a few classified records, gold label beside prediction, for the example programs. */
final class GoldBesidePrediction {
    private static final int TEXT_WIDTH = 40;

    private GoldBesidePrediction() {}

    /**
     * Prints the first {@code perLabel} records of each gold label (the first records, when there is no gold label),
     * in input order, with a cross where the prediction differs from the gold label.
     */
    static void print(List<RecordResult> results, int perLabel, PrintStream out) {
        Map<String, Integer> shown = new HashMap<>();
        List<String[]> rows = new ArrayList<>();
        for (RecordResult r : results) {
            String gold = r.record().label() == null ? "-" : r.record().label();
            if (shown.merge(gold, 1, Integer::sum) > perLabel) {
                continue;
            }
            String predicted = r.succeeded()
                    ? ((Prediction.Classification) r.prediction()).label()
                    : "FAILED " + r.failure().kind();
            String mark = gold.equals("-") || gold.equals(predicted) ? " " : "✗";
            rows.add(new String[] {gold, predicted, mark, shorten(r.record().text())});
        }
        int goldWidth = Math.max(
                width("gold"),
                rows.stream().mapToInt(row -> width(row[0])).max().orElse(0));
        int predictedWidth = Math.max(
                width("predicted"),
                rows.stream().mapToInt(row -> width(row[1])).max().orElse(0));
        out.println("  " + pad("gold", goldWidth) + "  " + pad("predicted", predictedWidth) + "    text");
        for (String[] row : rows) {
            out.println(
                    "  " + pad(row[0], goldWidth) + "  " + pad(row[1], predictedWidth) + "  " + row[2] + " " + row[3]);
        }
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.codePointCount(0, oneLine.length()) <= TEXT_WIDTH
                ? oneLine
                : oneLine.substring(0, oneLine.offsetByCodePoints(0, TEXT_WIDTH - 1)) + "…";
    }

    private static String pad(String s, int columns) {
        return s + " ".repeat(Math.max(0, columns - width(s)));
    }

    /** Terminal columns: two for CJK and full-width characters, one for the rest. */
    private static int width(String s) {
        return s.codePoints()
                .map(c -> (c >= 0x2E80 && c <= 0xA4CF)
                                || (c >= 0xAC00 && c <= 0xD7A3)
                                || (c >= 0xF900 && c <= 0xFAFF)
                                || (c >= 0xFF00 && c <= 0xFF60)
                                || (c >= 0xFFE0 && c <= 0xFFE6)
                                || (c >= 0x20000 && c <= 0x3FFFD)
                        ? 2
                        : 1)
                .sum();
    }
}
