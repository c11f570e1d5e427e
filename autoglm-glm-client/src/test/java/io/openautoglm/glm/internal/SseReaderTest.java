package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import okio.Buffer;
import org.junit.jupiter.api.Test;

/** Server-sent event framing: data lines joined, everything else skipped, the last event ended by the stream. */
class SseReaderTest {

    @Test
    void eventsAreTheirDataLinesAndOtherLinesAreSkipped() throws Exception {
        SseReader events = new SseReader(new Buffer()
                .writeUtf8(": keep-alive\nevent: message\nid: 7\nretry: 100\n"
                        + "data: {\"a\":1}\n\n"
                        + "data:first\ndata: second\n\n"
                        + "event: ping\n\n\n"
                        + "data: [DONE]"));
        assertEquals("{\"a\":1}", events.next());
        assertEquals("first\nsecond", events.next(), "one space after the colon is dropped, and only one");
        assertEquals("[DONE]", events.next(), "an event without data is skipped; the end of the stream ends an event");
        assertNull(events.next());
        assertNull(events.next());
    }
}
