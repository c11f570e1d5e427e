package io.openautoglm.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/** Writes an error envelope straight to a servlet response: for filters and security handlers outside Spring MVC. */
@Component
public class EnvelopeWriter {
    private final ObjectMapper json;

    public EnvelopeWriter(ObjectMapper json) {
        this.json = json;
    }

    public void write(HttpServletResponse response, ErrorCode code, String message, Duration retryAfter)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(code.status().value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        if (retryAfter != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        json.writeValue(response.getOutputStream(), Envelope.error(code, message));
        response.flushBuffer();
    }
}
