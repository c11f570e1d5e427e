package io.openautoglm.local.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.AutoGlmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunedHeadTest {
    @TempDir
    Path dir;

    private TunedHead read(String json) throws IOException {
        Path file = Files.writeString(dir.resolve(TunedHead.FILE), json);
        return TunedHead.read(file);
    }

    @Test
    void aBiEncodersHeadIsItsCosineThreshold() throws IOException {
        TunedHead head = read("{\"format\":1,\"task\":\"semantic_matching\",\"maxLength\":64,"
                + "\"method\":\"threshold\",\"pooling\":\"cls\",\"threshold\":-0.25}");
        assertTrue(head.readsPairsApart());
        assertEquals(-0.25, head.threshold(), 0.0, "a cosine may be negative, a probability may not");
        assertEquals(64, head.maxLength());
        AutoGlmException e = assertThrows(
                AutoGlmException.class,
                () -> read("{\"task\":\"semantic_matching\",\"method\":\"threshold\",\"threshold\":1.5}"));
        assertTrue(e.getMessage().contains("cosine similarity between -1 and 1"), e.getMessage());
    }

    @Test
    void aCrossEncodersThresholdIsAProbability() throws IOException {
        String head = "{\"task\":\"semantic_matching\",\"classes\":[\"0\",\"1\"],\"pooling\":\"cls\","
                + "\"weights\":[[0.1,0.2],[0.3,0.4]],\"bias\":[0,0],\"threshold\":%s}";
        TunedHead crossEncoder = read(String.format(head, "0.4"));
        assertFalse(crossEncoder.readsPairsApart());
        assertEquals(0.4, crossEncoder.threshold(), 0.0);
        AutoGlmException e = assertThrows(AutoGlmException.class, () -> read(String.format(head, "-0.25")));
        assertTrue(e.getMessage().contains("probability between 0 and 1"), e.getMessage());
    }
}
