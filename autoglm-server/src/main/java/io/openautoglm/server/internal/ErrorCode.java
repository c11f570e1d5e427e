package io.openautoglm.server.internal;

import org.springframework.http.HttpStatus;

/**
 * Every code the envelope's {@code code} can hold, with its HTTP status; stable across releases
 * ({@code docs/server.md} has the table). The first three digits are the HTTP status.
 */
public enum ErrorCode {
    OK(0, HttpStatus.OK, "success"),
    BAD_REQUEST(40000, HttpStatus.BAD_REQUEST, "the request cannot be read: malformed JSON, a missing body"),
    VALIDATION_FAILED(
            40001,
            HttpStatus.BAD_REQUEST,
            "a field of the request is missing or wrong; the message starts with its path"),
    SPEC_INVALID(40002, HttpStatus.BAD_REQUEST, "the pipeline spec has problems, each given with its JSON path"),
    SOURCE_INVALID(
            40003,
            HttpStatus.BAD_REQUEST,
            "a job's source is missing, not a file, or of a format other than csv and jsonl"),
    UNAUTHENTICATED(40100, HttpStatus.UNAUTHORIZED, "no bearer token"),
    TOKEN_INVALID(40101, HttpStatus.UNAUTHORIZED, "the bearer token's signature, format or claims are not valid"),
    TOKEN_EXPIRED(40102, HttpStatus.UNAUTHORIZED, "the bearer token has expired"),
    FORBIDDEN(40300, HttpStatus.FORBIDDEN, "the token lacks the role this call needs"),
    PATH_FORBIDDEN(
            40301,
            HttpStatus.FORBIDDEN,
            "a job's source path leads outside autoglm.server.data-dir (.., an absolute path, a symbolic link)"),
    NOT_FOUND(40400, HttpStatus.NOT_FOUND, "no such path"),
    PIPELINE_NOT_FOUND(40401, HttpStatus.NOT_FOUND, "no pipeline of that name"),
    JOB_NOT_FOUND(40402, HttpStatus.NOT_FOUND, "no job of that id among the caller's jobs"),
    REVISION_NOT_FOUND(40403, HttpStatus.NOT_FOUND, "the pipeline has no stored revision of that number"),
    METHOD_NOT_ALLOWED(40500, HttpStatus.METHOD_NOT_ALLOWED, "the path does not take this method"),
    CONFLICT(40900, HttpStatus.CONFLICT, "another request is registering or removing a pipeline of the same name"),
    JOB_FINISHED(40901, HttpStatus.CONFLICT, "the job has finished already and cannot be cancelled"),
    NAME_TAKEN(40902, HttpStatus.CONFLICT, "a stored pipeline's name differs from this one in case only"),
    PAYLOAD_TOO_LARGE(41300, HttpStatus.PAYLOAD_TOO_LARGE, "the body is larger than autoglm.server.max-body-size"),
    BATCH_TOO_LARGE(
            41301, HttpStatus.PAYLOAD_TOO_LARGE, "more records than autoglm.server.predict.max-records in one request"),
    UNSUPPORTED_MEDIA_TYPE(41500, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "the body is not application/json"),
    RATE_LIMITED(42900, HttpStatus.TOO_MANY_REQUESTS, "the subject's rate limit is spent; see Retry-After"),
    INTERNAL_ERROR(50000, HttpStatus.INTERNAL_SERVER_ERROR, "an unexpected error; the server log has it"),
    OVERLOADED(50300, HttpStatus.SERVICE_UNAVAILABLE, "too many predictions running and waiting; see Retry-After"),
    CIRCUIT_OPEN(50301, HttpStatus.SERVICE_UNAVAILABLE, "the model's circuit is open after failures; see Retry-After"),
    PIPELINE_NOT_READY(
            50302, HttpStatus.SERVICE_UNAVAILABLE, "the pipeline's model is loading, failed to load, or was replaced");

    private final int code;
    private final HttpStatus status;
    private final String meaning;

    ErrorCode(int code, HttpStatus status, String meaning) {
        this.code = code;
        this.status = status;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public HttpStatus status() {
        return status;
    }

    public String meaning() {
        return meaning;
    }

    /** The generic code for an HTTP status that arose outside the controllers. */
    static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 503 -> OVERLOADED;
            default -> status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL_ERROR;
        };
    }
}
