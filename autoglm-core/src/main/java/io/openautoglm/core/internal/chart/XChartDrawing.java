package io.openautoglm.core.internal.chart;

import io.openautoglm.core.internal.chart.ProgressChart.Series;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The only class that touches XChart, so that {@link ProgressChart} loads without it. */
final class XChartDrawing {
    private XChartDrawing() {}

    static void png(String title, String xTitle, String yTitle, List<Series> series, OutputStream out)
            throws IOException {
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(500)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        for (Series s : series) {
            XYSeries drawn = chart.addSeries(s.name(), s.x(), s.y());
            drawn.setXYSeriesRenderStyle(
                    switch (s.style()) {
                        case POINTS -> XYSeriesRenderStyle.Scatter;
                        case STEP -> XYSeriesRenderStyle.Step;
                        case LINE -> XYSeriesRenderStyle.Line;
                    });
            drawn.setMarker(s.marker() ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
}
