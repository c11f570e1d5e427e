package io.openautoglm.prompt.internal;

import io.openautoglm.prompt.Candidate;
import io.openautoglm.prompt.OptimizationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws a trajectory with XChart: candidates as points, the best so far as a step line, the start as a level. */
public final class TrajectoryChart {

    private TrajectoryChart() {}

    public static void write(OptimizationResult result, Path file) {
        // Rendering to an image needs no display; say so before AWT initialises on a server.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        List<Integer> x = new ArrayList<>();
        List<Double> score = new ArrayList<>();
        List<Double> best = new ArrayList<>();
        List<Double> start = new ArrayList<>();
        double b = Double.NEGATIVE_INFINITY;
        for (Candidate c : result.trajectory()) {
            x.add(c.index());
            score.add(c.score());
            b = Math.max(b, c.score());
            best.add(b);
            start.add(result.startScore());
        }
        XYChart chart = new XYChartBuilder()
                .width(800)
                .height(480)
                .title(result.optimizer() + ": dev " + result.objective() + " per candidate")
                .xAxisTitle("candidate")
                .yAxisTitle("dev " + result.objective())
                .build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartTitleVisible(true);
        XYSeries points = chart.addSeries("candidate", x, score);
        points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        points.setMarker(SeriesMarkers.CIRCLE);
        XYSeries bestLine = chart.addSeries("best so far", x, best);
        bestLine.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        bestLine.setMarker(SeriesMarkers.NONE);
        XYSeries startLine = chart.addSeries("start", x, start);
        startLine.setMarker(SeriesMarkers.NONE);
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            try (java.io.OutputStream out = Files.newOutputStream(file)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trajectory chart " + file, e);
        }
    }
}
