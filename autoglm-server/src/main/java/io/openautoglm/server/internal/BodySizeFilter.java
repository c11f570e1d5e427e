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
 * limit is ever held. Uploads of job sources ({@code POST /api/v1/jobs} as multipart) have their own limit,
 * {@code autoglm.server.jobs.max-upload-size}.
 */
public class BodySizeFilter extends OncePerRequestFilter {
    private final long bodyLimit;
    private final long uploadLimit;
    private final EnvelopeWriter writer;

    public BodySizeFilter(long limit, EnvelopeWriter writer) {
        this(limit, limit, writer);
    }

    public BodySizeFilter(long limit, long uploadLimit, EnvelopeWriter writer) {
        this.bodyLimit = limit;
        this.uploadLimit = uploadLimit;
        this.writer = writer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean upload = "POST".equals(request.getMethod())
                && "/api/v1/jobs".equals(request.getRequestURI())
                && request.getContentType() != null
                && request.getContentType().toLowerCase(java.util.Locale.ROOT).startsWith("multipart/");
        long limit = upload ? uploadLimit : bodyLimit;
        String property = upload ? "autoglm.server.jobs.max-upload-size" : "autoglm.server.max-body-size";
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            writer.write(response, ErrorCode.PAYLOAD_TOO_LARGE, message(declared, limit, property), null);
            return;
        }
        chain.doFilter(declared >= 0 ? request : new Limited(request, limit, property), response);
    }

    private static String message(long size, long limit, String property) {
        return "the body has " + size + " bytes, more than the " + limit + " that " + property
                + " allows; send less per request";
    }

    /** What reading past the limit throws; the exception handler answers 413. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private final String property;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit, String property) {
            super(request);
            this.limit = limit;
            this.property = property;
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
                            throw new TooLarge("the body is larger than the " + limit + " bytes that " + property
                                    + " allows; send less per request");
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
