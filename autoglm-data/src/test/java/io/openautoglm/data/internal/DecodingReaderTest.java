package io.openautoglm.data.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DecodingReaderTest {

    private static String readAll(Reader r) throws IOException {
        StringWriter out = new StringWriter();
        char[] buf = new char[777];
        int n;
        while ((n = r.read(buf, 0, buf.length)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toString();
    }

    @Test
    void multiByteCharactersAcrossBufferBoundariesDecodeIntact() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            s.append("行").append(i).append(i % 7 == 0 ? "\r\n" : "😀\n");
        }
        for (Charset cs : new Charset[] {StandardCharsets.UTF_8, Charset.forName("GBK")}) {
            String text = cs.name().equals("GBK") ? s.toString().replace("😀", "好") : s.toString();
            DecodingReader r = new DecodingReader(new ByteArrayInputStream(text.getBytes(cs)), cs);
            assertEquals(text, readAll(r), cs.name());
            assertEquals(0, r.takeBadLineUpTo(Long.MAX_VALUE), cs.name());
        }
    }

    @Test
    void badBytesAreReplacedAndTheirLinesQueued() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int line = 1; line <= 5000; line++) {
            bytes.writeBytes(("第" + line + "行").getBytes(StandardCharsets.UTF_8));
            if (line == 1234 || line == 4321) {
                bytes.write(0xC3);
                bytes.write(0x28);
            }
            bytes.writeBytes(line % 2 == 0 ? "\r\n".getBytes() : line % 3 == 0 ? "\r".getBytes() : "\n".getBytes());
        }
        DecodingReader r = new DecodingReader(new ByteArrayInputStream(bytes.toByteArray()), StandardCharsets.UTF_8);
        String text = readAll(r);
        assertEquals(2, text.chars().filter(c -> c == '\uFFFD').count());
        assertEquals(0, r.takeBadLineUpTo(1233));
        assertEquals(1234, r.takeBadLineUpTo(2000));
        assertEquals(4321, r.takeBadLineUpTo(Long.MAX_VALUE));
    }

    @Test
    void truncatedSequenceAtTheEndIsReported() throws IOException {
        byte[] bytes = {'a', '\n', 'b', (byte) 0xE5, (byte) 0xA5};
        DecodingReader r = new DecodingReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8);
        assertEquals("a\nb\uFFFD", readAll(r));
        assertEquals(2, r.takeBadLineUpTo(2));
    }

    @Test
    void byteOrderMarkIsSkipped() throws IOException {
        byte[] bytes = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'x'};
        assertEquals("x", readAll(new DecodingReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)));
    }
}
