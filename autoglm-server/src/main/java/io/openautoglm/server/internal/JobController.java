package io.openautoglm.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.PipelineSpecException.Problem;
import io.openautoglm.spring.AutoGlmPipelines;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Jobs for whole datasets: create (a pipeline name or an inline spec, and an uploaded file or a path under the data
 * folder), look at, list, stream the results of, follow by Server-Sent Events, cancel. A job is its creator's; admins
 * see every job. Logs name jobs, subjects and counts, never a text.
 */
@RestController
@Tag(name = "jobs", description = "Jobs: whole datasets, journaled on disk")
@RequestMapping("/api/v1/jobs")
public class JobController {
    private static final Set<String> FIELDS = Set.of("pipeline", "spec", "source");
    private static final Set<String> SOURCE_FIELDS =
            Set.of("path", "format", "textColumn", "textBColumn", "labelColumn", "idColumn");
    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    private final JobService jobs;
    private final AutoGlmPipelines pipelines;
    private final ServerSettings settings;
    private final ObjectMapper json;

    public JobController(JobService jobs, AutoGlmPipelines pipelines, ServerSettings settings, ObjectMapper json) {
        this.jobs = jobs;
        this.pipelines = pipelines;
        this.settings = settings;
        this.json = json;
    }

    /** A job on a file under the data folder: {@code {"pipeline": "…", "source": {"path": "…"}}}. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "a job on a file under the data folder")
    ResponseEntity<Envelope> create(@RequestBody String body, Authentication who) {
        return create(body, null, who);
    }

    /** A job on an uploaded file: the part {@code file}, and the part {@code job} with the JSON above (no path). */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "a job on an uploaded CSV or JSONL file")
    ResponseEntity<Envelope> upload(
            @RequestPart("job") String body, @RequestPart("file") MultipartFile file, Authentication who) {
        return create(body, file, who);
    }

    @GetMapping
    @Operation(summary = "the caller's jobs (every job for an admin)")
    Envelope list(Authentication who) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Job j : jobs.list(who.getName(), admin(who))) {
            all.add(j.view());
        }
        return Envelope.ok(all);
    }

    @GetMapping("/{id}")
    @Operation(summary = "a job's state, counts, usage and metrics")
    Envelope describe(@PathVariable("id") String id, Authentication who) {
        return Envelope.ok(find(id, who).view());
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "cancel a job")
    Envelope cancel(@PathVariable("id") String id, Authentication who) {
        return Envelope.ok(jobs.cancel(find(id, who)).view());
    }

    /** Every record's result or failure so far, one JSON object per line, in the order they were written. */
    @GetMapping("/{id}/results")
    @Operation(summary = "every result or failure so far, as JSON lines")
    ResponseEntity<StreamingResponseBody> results(@PathVariable("id") String id, Authentication who) {
        Job job = find(id, who);
        Path file = job.dir.resolve("results.jsonl");
        StreamingResponseBody body = out -> copyWholeLines(file, out);
        return ResponseEntity.ok().contentType(NDJSON).body(body);
    }

    /**
     * Progress as Server-Sent Events: an event {@code job} with the job's state and counts at once, then at each
     * change (at most every 250 ms while it runs); the stream ends when the job finishes or the server stops.
     */
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "progress as Server-Sent Events")
    SseEmitter events(@PathVariable("id") String id, Authentication who) {
        Job job = find(id, who);
        SseEmitter emitter = new SseEmitter(30 * 60 * 1000L);
        Runnable[] unsubscribe = new Runnable[1];
        Job.Listener listener = new Job.Listener() {
            @Override
            public void update(Map<String, Object> now) {
                try {
                    emitter.send(SseEmitter.event().name("job").data(now, MediaType.APPLICATION_JSON));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void end() {
                emitter.complete();
            }
        };
        synchronized (job) {
            listener.update(job.view());
            if (job.state().finished()) {
                emitter.complete();
                return emitter;
            }
            unsubscribe[0] = job.subscribe(listener);
        }
        emitter.onCompletion(unsubscribe[0]);
        emitter.onTimeout(unsubscribe[0]);
        emitter.onError(e -> unsubscribe[0].run());
        return emitter;
    }

    // ---- helpers ----

    private ResponseEntity<Envelope> create(String body, MultipartFile file, Authentication who) {
        JsonNode request = parse(body);
        String pipeline = text(request, "pipeline");
        JsonNode inline = request.get("spec");
        if ((pipeline == null) == (inline == null || inline.isNull())) {
            throw new ApiException(
                    ErrorCode.VALIDATION_FAILED, "pipeline, spec: give exactly one, a pipeline's name or a spec");
        }
        PipelineSpec spec;
        if (pipeline != null) {
            spec = pipelines.get(pipeline).spec();
        } else {
            if (!inline.isObject()) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED, "spec: must be a JSON object");
            }
            // an inline spec's secret references and model options resolve on this server (a key read from its
            // environment could go to a base URL the caller names): admins only, as for registering a pipeline
            if (who.getAuthorities().stream().noneMatch(a -> a.getAuthority().equals("ROLE_admin"))) {
                throw new ApiException(
                        ErrorCode.FORBIDDEN, "spec: an inline spec needs the admin role; name a pipeline instead");
            }
            List<Problem> problems = PipelineSpec.validateJson(inline.toString(), settings.specDir());
            if (!problems.isEmpty()) {
                throw new ApiException(ErrorCode.SPEC_INVALID, SpecController.describe(problems));
            }
            spec = PipelineSpec.fromJson(inline.toString(), settings.specDir());
        }
        JsonNode source = request.path("source");
        if (!source.isMissingNode() && !source.isObject()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "source: must be a JSON object");
        }
        for (Iterator<String> it = source.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!SOURCE_FIELDS.contains(f)) {
                throw new ApiException(
                        ErrorCode.VALIDATION_FAILED,
                        "source." + f + ": unknown field; known fields: " + String.join(", ", sorted(SOURCE_FIELDS)));
            }
        }
        String path = text(source, "path");
        if (file == null && path == null) {
            throw new ApiException(
                    ErrorCode.VALIDATION_FAILED,
                    "source.path: required, a file under the data folder; or upload the file as multipart part 'file'");
        }
        if (file != null && path != null) {
            throw new ApiException(
                    ErrorCode.VALIDATION_FAILED, "source.path: not with an uploaded file; give one or the other");
        }
        Path real = file == null ? jobs.dataPaths().resolve(path) : null;
        String name = file != null ? file.getOriginalFilename() : path;
        String format = text(source, "format");
        if (format == null) {
            format = formatOf(name);
        }
        if (!format.equals("csv") && !format.equals("jsonl")) {
            throw new ApiException(
                    ErrorCode.SOURCE_INVALID,
                    "source.format: " + format
                            + " is not csv or jsonl; name the file .csv or .jsonl, or give the format");
        }
        String[] id = new String[1];
        Path dir = jobs.newJobDir(id);
        try {
            if (file != null) {
                real = dir.resolve("input." + format);
                try (InputStream in = file.getInputStream()) {
                    Files.copy(in, real);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot store the upload: " + e.getMessage(), e);
                }
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", file != null ? "upload:" + baseName(name) : path);
            s.put("format", format);
            s.put("path", real.toString());
            s.put("textColumn", text(source, "textColumn") == null ? "text" : text(source, "textColumn"));
            for (String c : List.of("textBColumn", "labelColumn", "idColumn")) {
                s.put(c, text(source, c));
            }
            Job job = jobs.create(who.getName(), pipeline, spec, s, file != null, id[0], dir);
            return ResponseEntity.status(HttpStatus.CREATED).body(Envelope.ok(job.view()));
        } catch (RuntimeException e) {
            jobs.discard(dir);
            throw e;
        }
    }

    private JsonNode parse(String body) {
        JsonNode n;
        try {
            n = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new ApiException(
                    ErrorCode.BAD_REQUEST,
                    "the job request is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")");
        }
        if (n == null || !n.isObject()) {
            throw new ApiException(
                    ErrorCode.BAD_REQUEST,
                    "the job request must be a JSON object, e.g. {\"pipeline\": \"…\", \"source\": {\"path\": \"…\"}}");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new ApiException(
                        ErrorCode.VALIDATION_FAILED,
                        f + ": unknown field; known fields: " + String.join(", ", sorted(FIELDS)));
            }
        }
        return n;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, field + ": must be a non-empty string");
        }
        return v.asText();
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private static String formatOf(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv")) {
            return "csv";
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
            return "jsonl";
        }
        throw new ApiException(
                ErrorCode.SOURCE_INVALID,
                "source.format: cannot tell the format of " + baseName(name) + "; name it .csv or .jsonl, or give "
                        + "source.format");
    }

    private static String baseName(String name) {
        if (name == null) {
            return "(no name)";
        }
        String n = name.replace('\\', '/');
        return n.substring(n.lastIndexOf('/') + 1);
    }

    private Job find(String id, Authentication who) {
        return jobs.get(id, who.getName(), admin(who));
    }

    private static boolean admin(Authentication who) {
        return who.getAuthorities().stream().anyMatch(a -> "ROLE_admin".equals(a.getAuthority()));
    }

    /** Copies the file up to its last line break: a line being written is left for the next read. */
    private static void copyWholeLines(Path file, OutputStream out) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long end = size;
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                ch.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            InputStream in = Channels.newInputStream(ch.position(0));
            byte[] buf = new byte[65536];
            long left = end;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
        out.flush();
    }
}
