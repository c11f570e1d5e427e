package io.openautoglm.local.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The protobuf wire format, as much of it as an ONNX file uses: the fields of a message read in place (no copy of
 * the tensors' bytes), and messages written back from copied and new fields. ONNX Runtime's Java API has no graph
 * editing and the {@code onnx} Java bindings would pull in protobuf-java for a few dozen lines.
 */
public final class Protobuf {
    private Protobuf() {}

    /** Where a length-delimited value lies in the buffer. */
    public record Span(int start, int end) {}

    /**
     * One field of a message.
     *
     * @param value the varint of wire type 0
     * @param span  the payload of wire type 2 (a string, bytes, a message, a packed array)
     * @param from  where the field begins (its key), for copying it whole
     * @param to    where it ends
     */
    public record Field(int number, int wire, long value, Span span, int from, int to) {
        public String string(byte[] b) {
            return new String(b, span.start(), span.end() - span.start(), StandardCharsets.UTF_8);
        }
    }

    /** The fields of the message in {@code b[start, end)}, in order. */
    public static Iterable<Field> fields(byte[] b, int start, int end) {
        return () -> new Iterator<>() {
            private final int[] pos = {start};

            @Override
            public boolean hasNext() {
                return pos[0] < end;
            }

            @Override
            public Field next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    int from = pos[0];
                    long key = varint(b, pos);
                    int wire = (int) (key & 7);
                    long value = 0;
                    Span span = null;
                    switch (wire) {
                        case 0 -> value = varint(b, pos);
                        case 1 -> pos[0] += 8;
                        case 5 -> pos[0] += 4;
                        case 2 -> {
                            long len = varint(b, pos);
                            if (len < 0 || len > end - pos[0]) {
                                throw new IOException("a field of " + len + " bytes overruns its message");
                            }
                            span = new Span(pos[0], pos[0] + (int) len);
                            pos[0] += (int) len;
                        }
                        default -> throw new IOException("unsupported protobuf wire type " + wire);
                    }
                    if (pos[0] > end) {
                        throw new IOException("truncated protobuf message");
                    }
                    return new Field((int) (key >>> 3), wire, value, span, from, pos[0]);
                } catch (IOException e) {
                    throw new UncheckedIOException("not a readable ONNX model: " + e.getMessage(), e);
                }
            }
        };
    }

    /** The fields of a message held in a span, such as a field's payload. */
    public static Iterable<Field> fields(byte[] b, Span s) {
        return fields(b, s.start(), s.end());
    }

    /** The varints of a packed repeated field. */
    public static long[] packed(byte[] b, Span s) throws IOException {
        List<Long> out = new ArrayList<>();
        int[] pos = {s.start()};
        while (pos[0] < s.end()) {
            out.add(varint(b, pos));
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static long varint(byte[] b, int[] pos) throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) {
                throw new IOException("truncated varint");
            }
            byte x = b[pos[0]++];
            result |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return result;
            }
        }
        throw new IOException("malformed varint");
    }

    /** A message being written: fields copied from a read one, and new ones. */
    public static final class Writer {
        private final Buffer out;

        public Writer() {
            this(256);
        }

        public Writer(int expectedSize) {
            this.out = new Buffer(expectedSize);
        }

        /** Copies a field as it was read, key and all. */
        public Writer copy(byte[] b, Field f) {
            out.write(b, f.from(), f.to() - f.from());
            return this;
        }

        public Writer varint(int number, long value) {
            raw((long) number << 3);
            raw(value);
            return this;
        }

        public Writer bytes(int number, byte[] value) {
            raw(((long) number << 3) | 2);
            raw(value.length);
            out.write(value, 0, value.length);
            return this;
        }

        public Writer string(int number, String value) {
            return bytes(number, value.getBytes(StandardCharsets.UTF_8));
        }

        public Writer message(int number, Writer message) {
            if (message == this) {
                throw new IllegalArgumentException("a message cannot hold itself");
            }
            raw(((long) number << 3) | 2);
            raw(message.out.size());
            message.out.writeTo(out);
            return this;
        }

        /** How many bytes have been written. */
        public int size() {
            return out.size();
        }

        /** The bytes written; no copy when they fill the expected size exactly. */
        public byte[] toByteArray() {
            return out.exact();
        }

        /** How many bytes a field of {@code number} with a payload of {@code length} bytes takes. */
        public static int fieldSize(int number, int length) {
            return varintSize(((long) number << 3) | 2) + varintSize(length) + length;
        }

        private static int varintSize(long v) {
            int n = 1;
            while ((v & ~0x7fL) != 0) {
                v >>>= 7;
                n++;
            }
            return n;
        }

        /** A ByteArrayOutputStream that hands over its array when it is full to the byte. */
        private static final class Buffer extends ByteArrayOutputStream {
            Buffer(int size) {
                super(size);
            }

            byte[] exact() {
                return count == buf.length ? buf : Arrays.copyOf(buf, count);
            }

            @Override
            public void writeTo(java.io.OutputStream target) {
                try {
                    super.writeTo(target);
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // a ByteArrayOutputStream target never throws
                }
            }
        }

        private void raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
