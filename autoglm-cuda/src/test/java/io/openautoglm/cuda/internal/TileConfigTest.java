package io.openautoglm.cuda.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.cuda.Conv2dSpec;
import org.junit.jupiter.api.Test;

class TileConfigTest {
    private static Conv2dSpec layer(int batch, int c, int k, int r) {
        return Conv2dSpec.builder()
                .batch(batch)
                .inChannels(c)
                .height(56)
                .width(56)
                .outChannels(k)
                .kernel(r, r)
                .padding(r / 2)
                .build();
    }

    @Test
    void gridCoversEveryOutput() {
        Conv2dSpec s = layer(1, 64, 70, 3);
        for (TileConfig c : TileConfig.values()) {
            long pixelTiles = (56L * 56 + c.bn() - 1) / c.bn();
            long channelTiles = (70 + c.bm() - 1) / c.bm();
            assertEquals(pixelTiles * channelTiles, c.blocks(s), c.name());
            assertTrue(pixelTiles * c.bn() >= 56 * 56 && channelTiles * c.bm() >= 70, c.name());
        }
    }

    @Test
    void sixtyFourChannelsNeverGetAHalfEmpty128RowTile() {
        for (int batch : new int[] {1, 32}) {
            assertNotEquals(TileConfig.T128X128, TileConfig.choose(layer(batch, 64, 64, 3), 132));
            assertNotEquals(TileConfig.T128X128, TileConfig.choose(layer(batch, 256, 64, 1), 132));
        }
    }

    @Test
    void smallProblemsUseSmallTilesToFillTheChip() {
        assertEquals(TileConfig.T64X64, TileConfig.choose(layer(1, 64, 256, 1), 132));
        assertEquals(TileConfig.T128X128, TileConfig.choose(layer(32, 64, 256, 1), 132));
        // The same layer on a hypothetical 1000-SM part no longer gives each SM two 128x128 blocks.
        assertEquals(TileConfig.T64X64, TileConfig.choose(layer(32, 64, 256, 1), 1000));
    }

    @Test
    void tapTableMatchesTheKernelsLayout() {
        Conv2dSpec s = Conv2dSpec.builder()
                .batch(1)
                .inChannels(2)
                .height(5)
                .width(7)
                .outChannels(1)
                .kernel(2, 3)
                .dilation(2, 1)
                .build();
        int[] t = CudaConv.tapTable(s);
        assertEquals(4 * 2 * 2 * 3, t.length);
        int kk = (1 * 2 + 1) * 3 + 2; // c = 1, r = 1, s = 2
        assertEquals(1 * 5 * 7 + 2 * 7 + 2, t[4 * kk]);
        assertEquals(2, t[4 * kk + 1]);
        assertEquals(2, t[4 * kk + 2]);
    }

    @Test
    void transposedWeightsAreReductionMajor() {
        Conv2dSpec s = Conv2dSpec.builder()
                .batch(1)
                .inChannels(2)
                .height(3)
                .width(3)
                .outChannels(3)
                .kernel(1, 1)
                .build();
        float[] w = {0, 1, 10, 11, 20, 21}; // [K=3][CRS=2]
        assertEquals(java.util.List.of(0f, 10f, 20f, 1f, 11f, 21f), toList(CudaConv.transpose(s, w)));
    }

    private static java.util.List<Float> toList(float[] a) {
        java.util.List<Float> l = new java.util.ArrayList<>();
        for (float v : a) {
            l.add(v);
        }
        return l;
    }
}
