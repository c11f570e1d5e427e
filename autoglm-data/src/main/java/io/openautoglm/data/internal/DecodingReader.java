package io.openautoglm.data.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayDeque;

/**
 * Decodes bytes strictly and remembers on which physical lines bytes could not be decoded.
 *
 * <p>The JDK's readers replace bad bytes silently; this one asks the decoder to REPORT them, puts U+FFFD in
 * their place so that parsing can go on, and queues the line number. The cursor above then turns every
 * record that covers such a line into a bad record, so that a wrong charset is never read as mojibake.
 * Lines are counted as Commons CSV and {@link java.io.BufferedReader#readLine()} count them: LF, CR LF and
 * a lone CR each end one line. A leading byte order mark is skipped. Not thread-safe.
 */
final class DecodingReader extends Reader {
    private static final int BUFFER = 8192;

    private final InputStream in;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER);
    private final CharBuffer chars = CharBuffer.allocate(BUFFER);
    private final ArrayDeque<Long> badLines = new ArrayDeque<>();
    private long line = 1;
    private boolean previousWasCr;
    private boolean inputDone;
    private boolean flushed;
    private boolean started;

    DecodingReader(InputStream in, Charset charset) {
        this.in = in;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        bytes.flip();
        chars.flip();
    }

    /**
     * Removes and returns whether any line up to {@code lastLine} had undecodable bytes; the first such
     * line, or 0 when none.
     */
    long takeBadLineUpTo(long lastLine) {
        long first = 0;
        while (!badLines.isEmpty() && badLines.peekFirst() <= lastLine) {
            long l = badLines.pollFirst();
            if (first == 0) {
                first = l;
            }
        }
        return first;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!chars.hasRemaining() && !fill()) {
            return -1;
        }
        int n = Math.min(len, chars.remaining());
        chars.get(buf, off, n);
        return n;
    }

    /** Decodes the next chunk into {@code chars}; false at the end of input. */
    private boolean fill() throws IOException {
        chars.clear();
        int counted = 0;
        while (chars.position() == 0 && !flushed) {
            CoderResult result = decoder.decode(bytes, chars, inputDone);
            if (result.isError()) {
                if (!chars.hasRemaining()) {
                    break;
                }
                counted = countLines(counted);
                if (badLines.isEmpty() || badLines.peekLast() != line) {
                    badLines.addLast(line);
                }
                bytes.position(bytes.position() + result.length());
                chars.put('\uFFFD');
            } else if (result.isOverflow()) {
                break;
            } else if (inputDone) {
                decoder.flush(chars);
                flushed = true;
            } else if (chars.position() == 0) {
                // Underflow: the bytes left, if any, are the start of a sequence cut at the buffer's end.
                readBytes();
            }
        }
        countLines(counted);
        chars.flip();
        if (!started) {
            started = true;
            if (chars.hasRemaining() && chars.get(chars.position()) == '\uFEFF') {
                chars.get();
            }
        }
        return chars.hasRemaining() || !flushed && fill();
    }

    private void readBytes() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            inputDone = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    /** Advances the line counter over the chars decoded since {@code from}; returns the new mark. */
    private int countLines(int from) {
        int end = chars.position();
        char[] a = chars.array();
        for (int i = from; i < end; i++) {
            char c = a[i];
            if (c == '\r') {
                line++;
                previousWasCr = true;
            } else {
                if (c == '\n' && !previousWasCr) {
                    line++;
                }
                previousWasCr = false;
            }
        }
        return end;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
