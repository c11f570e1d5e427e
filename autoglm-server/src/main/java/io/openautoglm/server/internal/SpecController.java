package io.openautoglm.server.internal;

import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.PipelineSpecException.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/specs/validate}: the {@code autoglm validate} report of a spec sent as the body, as data:
 * {@code {"valid": false, "problems": [{"path", "line", "column", "message"}]}}. Nothing is registered or run.
 */
@RestController
@Tag(name = "specs", description = "Specs: validation")
@RequestMapping(path = "/api/v1/specs", produces = MediaType.APPLICATION_JSON_VALUE)
public class SpecController {
    private final ServerSettings settings;

    public SpecController(ServerSettings settings) {
        this.settings = settings;
    }

    @PostMapping(path = "/validate")
    @Operation(summary = "validate a pipeline spec: its problems, each with its JSON path (admin)")
    Envelope validate(@RequestBody(required = false) String spec) {
        List<Problem> problems = PipelineSpec.validateJson(spec == null ? "" : spec, settings.specDir());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Problem p : problems) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", p.path());
            m.put("line", p.line());
            m.put("column", p.column());
            m.put("message", p.message());
            list.add(m);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("valid", problems.isEmpty());
        data.put("problems", list);
        return Envelope.ok(data);
    }

    /** Problems in one line, each with its path: for the message of a refused spec. */
    static String describe(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("the spec has ")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem: " : " problems: ");
        for (int i = 0; i < problems.size(); i++) {
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(problems.get(i));
        }
        return sb.toString();
    }
}
