package io.openautoglm.server.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.openautoglm.spring.UnknownPipelineException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where exceptions become answers: each type maps to an {@link ErrorCode} and its HTTP status, and
 * the answer is the envelope. Messages say what was wrong and why, never a token, a key or a record's text.
 */
@RestControllerAdvice
public class ApiExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Envelope> api(ApiException e) {
        ResponseEntity.BodyBuilder b = ResponseEntity.status(e.code().status());
        if (e.retryAfter() != null) {
            b.header(
                    HttpHeaders.RETRY_AFTER,
                    Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        return b.body(Envelope.error(e.code(), e.getMessage()));
    }

    @ExceptionHandler(UnknownPipelineException.class)
    ResponseEntity<Envelope> unknownPipeline(UnknownPipelineException e) {
        return answer(ErrorCode.PIPELINE_NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Envelope> unreadable(HttpMessageNotReadableException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BodySizeFilter.TooLarge tooLarge) {
                return answer(ErrorCode.PAYLOAD_TOO_LARGE, tooLarge.getMessage());
            }
        }
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof JsonParseException p) {
            return answer(
                    ErrorCode.BAD_REQUEST,
                    "the request body is not valid JSON (line "
                            + p.getLocation().getLineNr() + ", column "
                            + p.getLocation().getColumnNr() + ")");
        }
        if (cause instanceof UnrecognizedPropertyException u) {
            return answer(
                    ErrorCode.VALIDATION_FAILED,
                    JsonPaths.of(u) + ": unknown field; known fields: "
                            + String.join(
                                    ", ",
                                    u.getKnownPropertyIds().stream()
                                            .map(String::valueOf)
                                            .sorted()
                                            .toList()));
        }
        if (cause instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return answer(ErrorCode.VALIDATION_FAILED, JsonPaths.of(m) + ": wrong type or value");
        }
        if (cause instanceof JsonProcessingException) {
            return answer(ErrorCode.BAD_REQUEST, "the request body is not valid JSON");
        }
        return answer(ErrorCode.BAD_REQUEST, "the request body is missing or cannot be read as JSON");
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<Envelope> noPath(Exception e) {
        return answer(ErrorCode.NOT_FOUND, "no such path; the API is under /api/v1 (see docs/server.md)");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Envelope> method(HttpRequestMethodNotSupportedException e) {
        ResponseEntity.BodyBuilder b = ResponseEntity.status(ErrorCode.METHOD_NOT_ALLOWED.status());
        if (e.getSupportedHttpMethods() != null) {
            b.allow(e.getSupportedHttpMethods().toArray(org.springframework.http.HttpMethod[]::new));
        }
        return b.body(Envelope.error(
                ErrorCode.METHOD_NOT_ALLOWED,
                "method " + e.getMethod() + " is not allowed here; allowed: "
                        + (e.getSupportedMethods() == null ? "none" : String.join(", ", e.getSupportedMethods()))));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Envelope> mediaType(HttpMediaTypeNotSupportedException e) {
        return answer(
                ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "content type " + e.getContentType() + " is not supported; send application/json");
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<Envelope> parameter(Exception e) {
        String name = e instanceof MissingServletRequestParameterException m
                ? m.getParameterName()
                : ((MethodArgumentTypeMismatchException) e).getName();
        return answer(ErrorCode.VALIDATION_FAILED, name + ": missing or of the wrong type");
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<Envelope> part(MissingServletRequestPartException e) {
        return answer(
                ErrorCode.VALIDATION_FAILED,
                e.getRequestPartName() + ": required part of the multipart request (parts: job, file)");
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Envelope> multipart(MultipartException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BodySizeFilter.TooLarge tooLarge) {
                return answer(ErrorCode.PAYLOAD_TOO_LARGE, tooLarge.getMessage());
            }
        }
        return answer(ErrorCode.BAD_REQUEST, "the multipart request cannot be read");
    }

    /** An event stream that ran out of time, or whose client went away: nothing to answer, the stream is over. */
    @ExceptionHandler({AsyncRequestTimeoutException.class, AsyncRequestNotUsableException.class})
    void streamOver(Exception e) {
        LOG.debug("a stream ended: {}", e.getClass().getSimpleName());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Envelope> unexpected(Exception e) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("unexpected error {}: {}", id, e.toString(), e);
        return answer(ErrorCode.INTERNAL_ERROR, "internal error " + id + "; the server log has it");
    }

    private static ResponseEntity<Envelope> answer(ErrorCode code, String message) {
        return ResponseEntity.status(code.status()).body(Envelope.error(code, message));
    }
}
