package io.openautoglm.server.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@code autoglm.server.max-body-size} with 413 in the envelope: at once when the
 * declared length is over, and while reading when a chunked body grows past it, so that no body larger than the
 * limit is ever held.
 */
public class BodySizeFilter extends OncePerRequestFilter {
    private final long limit;
    private final EnvelopeWriter writer;

    public BodySizeFilter(long limit, EnvelopeWriter writer) {
        this.limit = limit;
        this.writer = writer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            writer.write(response, ErrorCode.PAYLOAD_TOO_LARGE, message(declared), null);
            return;
        }
        chain.doFilter(declared >= 0 ? request : new Limited(request), response);
    }

    private String message(long size) {
        return "the body has " + size + " bytes, more than the " + limit
                + " that autoglm.server.max-body-size allows; send fewer records per request";
    }

    /** What reading past the limit throws; the exception handler answers 413. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    private final class Limited extends HttpServletRequestWrapper {
        private ServletInputStream stream;

        Limited(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) throws TooLarge {
                        read += n;
                        if (read > limit) {
                            throw new TooLarge(
                                    "the body is larger than the " + limit
                                            + " bytes that autoglm.server.max-body-size allows; send fewer records per request");
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
