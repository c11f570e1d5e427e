package io.openautoglm.server.internal;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spring Boot's {@code /error}, answered in the envelope: errors that arose before or outside the controllers (the
 * servlet container, a filter) keep their status and get the code of that status.
 */
@RestController
public class EnvelopeErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<Envelope> error(HttpServletRequest request) {
        Object s = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = s instanceof Integer i ? i : 500;
        ErrorCode code = ErrorCode.forStatus(status);
        String message = status == 404
                ? "no such path; the API is under /api/v1 (see docs/server.md)"
                : code == ErrorCode.INTERNAL_ERROR ? "internal error; the server log has it" : code.meaning();
        return ResponseEntity.status(status).body(Envelope.error(code, message));
    }
}
