package io.openautoglm.core.internal.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressChartTest {
    @TempDir
    Path dir;

    @Test
    void writesAPngWithEveryKindOfSeries() throws Exception {
        Path file = dir.resolve("charts/run.png");
        ProgressChart.of("a run", "step", "score")
                .bestSoFar("trial", new double[] {1, 2, 3}, new double[] {0.5, 0.4, 0.7})
                .line("loss", new double[] {1, 2, 3}, new double[] {2.0, 1.1, 0.6})
                .level("start", 0.45)
                .write(file, "autoglm-core");
        BufferedImage png = ImageIO.read(file.toFile());
        assertEquals(900, png.getWidth());
        assertEquals(500, png.getHeight());
        assertTrue(distinctColours(png) > 3, "a blank canvas");
    }

    @Test
    void refusesSeriesOfUnequalLengthAndAnEmptyChart() {
        ProgressChart chart = ProgressChart.of("t", "x", "y");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> chart.line("loss", new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("2 and 1"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> chart.write(dir.resolve("empty.png"), "autoglm-core"));
    }

    private static long distinctColours(BufferedImage png) {
        return java.util.stream.IntStream.range(0, png.getWidth() * png.getHeight())
                .map(i -> png.getRGB(i % png.getWidth(), i / png.getWidth()))
                .distinct()
                .count();
    }
}
