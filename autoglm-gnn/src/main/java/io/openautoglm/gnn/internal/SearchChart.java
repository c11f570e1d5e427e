package io.openautoglm.gnn.internal;

import io.openautoglm.gnn.Trial;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws the search: score per trial and the best score so far, as a PNG. */
public final class SearchChart {
    private SearchChart() {}

    public static void write(List<Trial> trials, String title, String metric, Path file) throws IOException {
        if (trials.isEmpty()) {
            throw new IllegalStateException("no trial to draw");
        }
        double[] x = new double[trials.size()];
        double[] y = new double[trials.size()];
        double[] best = new double[trials.size()];
        double b = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < trials.size(); i++) {
            x[i] = trials.get(i).number();
            y[i] = trials.get(i).valScore();
            b = Math.max(b, y[i]);
            best[i] = b;
        }
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(500)
                .title(title)
                .xAxisTitle("trial")
                .yAxisTitle(metric)
                .build();
        XYSeries score = chart.addSeries("trial", x, y);
        score.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        score.setMarker(SeriesMarkers.CIRCLE);
        XYSeries line = chart.addSeries("best so far", x, best);
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        line.setMarker(SeriesMarkers.NONE);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
