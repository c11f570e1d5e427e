package io.openautoglm.core.internal.chart;

import io.openautoglm.core.AutoGlmException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one chart of the SDK, as a PNG: how a search or a training run went, step by step. A search draws each
 * step's score as a point and the best so far as a step line ({@link #bestSoFar}); a training run draws curves
 * ({@link #line}); either may add a level such as the starting score ({@link #level}).
 *
 * <p>Drawn with XChart, an optional dependency of each module that draws charts: {@link #write} names the
 * artifact to add when it is missing, instead of failing with {@code NoClassDefFoundError}.
 */
public final class ProgressChart {
    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<Series> series = new ArrayList<>();

    enum Style {
        POINTS,
        STEP,
        LINE
    }

    record Series(String name, double[] x, double[] y, Style style, boolean marker) {}

    private ProgressChart(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    /** A chart with its title and the titles of its axes. */
    public static ProgressChart of(String title, String xTitle, String yTitle) {
        return new ProgressChart(title, xTitle, yTitle);
    }

    /** Each step's score as a point under {@code name}, and the best score so far as a step line. */
    public ProgressChart bestSoFar(String name, double[] x, double[] y) {
        check(x, y);
        double[] best = new double[y.length];
        double b = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < y.length; i++) {
            b = Math.max(b, y[i]);
            best[i] = b;
        }
        series.add(new Series(name, x.clone(), y.clone(), Style.POINTS, true));
        series.add(new Series("best so far", x.clone(), best, Style.STEP, false));
        return this;
    }

    /** A curve through the points, such as a loss per step. */
    public ProgressChart line(String name, double[] x, double[] y) {
        check(x, y);
        series.add(new Series(name, x.clone(), y.clone(), Style.LINE, x.length < 40));
        return this;
    }

    /** A level across the x range of the series drawn so far, such as the score a search started from. */
    public ProgressChart level(String name, double value) {
        double lo = series.stream().mapToDouble(s -> s.x()[0]).min().orElse(0);
        double hi =
                series.stream().mapToDouble(s -> s.x()[s.x().length - 1]).max().orElse(1);
        series.add(new Series(name, new double[] {lo, hi}, new double[] {value, value}, Style.LINE, false));
        return this;
    }

    /**
     * Writes the PNG, creating its folder.
     *
     * @param module the artifact that asked for the chart, named in the message when XChart is missing
     * @throws AutoGlmException when XChart is not on the class path
     * @throws UncheckedIOException when the file cannot be written
     */
    public void write(Path file, String module) {
        if (ProgressChart.class.getClassLoader().getResource("org/knowm/xchart/XYChart.class") == null) {
            throw new AutoGlmException("charts need XChart, an optional dependency of " + module
                    + ": add org.knowm.xchart:xchart (3.8.8, pinned by the Open-AutoGLM parent POM)");
        }
        if (series.isEmpty()) {
            throw new IllegalStateException("nothing to draw in " + file);
        }
        // Rendering to an image needs no display; say so before AWT initialises on a server.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                // XChart's classes load only here, after the check above
                XChartDrawing.png(title, xTitle, yTitle, series, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + file, e);
        }
    }

    private static void check(double[] x, double[] y) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException(
                    "a series needs as many x as y values, at least one: " + x.length + " and " + y.length);
        }
    }
}
