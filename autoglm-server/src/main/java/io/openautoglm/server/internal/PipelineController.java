package io.openautoglm.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.PipelineSpecException.Problem;
import io.openautoglm.core.TextRecord;
import io.openautoglm.spring.AutoGlmPipelines;
import io.openautoglm.spring.PipelineRegistrationException;
import io.openautoglm.spring.ServedPipeline;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The pipelines: list, describe, register and remove (admin; each registration kept as a revision,
 * {@link PipelineStore}), the stored revisions, predict. Logs name pipelines, subjects and counts, never a text.
 */
@RestController
@Tag(name = "pipelines", description = "Pipelines: list, describe, register, remove, their revisions, predict")
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
public class PipelineController {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineController.class);

    private final AutoGlmPipelines pipelines;
    private final ServerSettings settings;
    private final PredictionGate gate;
    private final ServerMeters meters;
    private final ObjectMapper json;
    private final PipelineStore store;
    private final Map<String, ReentrantLock> registering = new ConcurrentHashMap<>();

    PipelineController(
            AutoGlmPipelines pipelines,
            ServerSettings settings,
            PredictionGate gate,
            ServerMeters meters,
            ObjectMapper json,
            PipelineStore store) {
        this.pipelines = pipelines;
        this.store = store;
        this.settings = settings;
        this.gate = gate;
        this.meters = meters;
        this.json = json;
    }

    @GetMapping("/pipelines")
    @Operation(summary = "the pipelines served, with their task, model and state")
    Envelope list() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (ServedPipeline p : pipelines.all()) {
            all.add(summary(p));
        }
        return Envelope.ok(all);
    }

    @GetMapping("/pipelines/{name}")
    @Operation(summary = "one pipeline, with its spec")
    Envelope describe(@PathVariable("name") String name) {
        ServedPipeline p = pipelines.get(name);
        Map<String, Object> m = summary(p);
        m.put("spec", tree(p.spec().toJson()));
        return Envelope.ok(m);
    }

    @GetMapping("/pipelines/{name}/revisions")
    @Operation(summary = "the stored revisions of a pipeline's spec, oldest first")
    Envelope revisions(@PathVariable("name") String name) {
        List<PipelineStore.Revision> revisions = store.revisions(name);
        if (revisions.isEmpty() && pipelines.find(name).isEmpty()) {
            pipelines.get(name); // no such pipeline: its own 404
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (PipelineStore.Revision r : revisions) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("revision", r.revision());
            m.put("saved", r.saved().toString());
            out.add(m);
        }
        return Envelope.ok(out);
    }

    @GetMapping("/pipelines/{name}/revisions/{revision}")
    @Operation(summary = "one stored revision of a pipeline's spec, as it was sent")
    Envelope revision(@PathVariable("name") String name, @PathVariable("revision") int revision) {
        String spec = store.read(name, revision)
                .orElseThrow(() -> new ApiException(
                        ErrorCode.REVISION_NOT_FOUND,
                        "pipeline " + name + " has no stored revision " + revision + "; GET /api/v1/pipelines/" + name
                                + "/revisions lists them"));
        // checked as when it was registered: a file edited by hand reaches no user with an inline secret in it
        List<Problem> problems = PipelineSpec.validateJson(spec, settings.specDir());
        if (!problems.isEmpty()) {
            throw new ApiException(
                    ErrorCode.SPEC_INVALID,
                    "stored revision " + revision + " of pipeline " + name + ": " + SpecController.describe(problems));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("revision", revision);
        m.put("spec", tree(spec));
        return Envelope.ok(m);
    }

    /** Holds the name for one registration or removal at a time; another request meanwhile gets 409. */
    private ReentrantLock lockName(String name) {
        ReentrantLock lock = registering.computeIfAbsent(name, n -> new ReentrantLock());
        if (!lock.tryLock()) {
            throw new ApiException(
                    ErrorCode.CONFLICT,
                    "pipeline " + name + " is being registered or removed by another request; try again");
        }
        return lock;
    }

    private Object tree(String specJson) {
        try {
            return json.readTree(specJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @PutMapping(path = "/pipelines/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "register or replace a pipeline from its spec, validated first (admin)")
    ResponseEntity<Envelope> register(@PathVariable("name") String name, @RequestBody String spec, Authentication who) {
        ReentrantLock lock = lockName(name);
        try {
            List<Problem> problems = PipelineSpec.validateJson(spec, settings.specDir());
            if (!problems.isEmpty()) {
                throw new ApiException(ErrorCode.SPEC_INVALID, SpecController.describe(problems));
            }
            try {
                AutoGlmPipelines.requireName(name); // before the name becomes a folder in the store
            } catch (PipelineRegistrationException e) {
                throw new ApiException(ErrorCode.SPEC_INVALID, e.getMessage());
            }
            Optional<String> twin = store.caseTwin(name);
            if (twin.isPresent()) {
                throw new ApiException(
                        ErrorCode.NAME_TAKEN,
                        "pipeline " + name + ": the stored pipeline " + twin.get() + " differs in case only, and on a"
                                + " file system that ignores case the two would share one folder; choose another name");
            }
            boolean existed = pipelines.find(name).isPresent();
            // stored first: a spec that cannot be kept replaces nothing, and one that then fails to register is taken
            // back, so that every revision on disk is one that served
            PipelineStore.Saved saved;
            try {
                saved = store.save(name, spec);
            } catch (UncheckedIOException e) {
                LOG.error("pipeline {} from {} cannot be stored, so it is not registered", name, who.getName(), e);
                throw new ApiException(
                        ErrorCode.INTERNAL_ERROR,
                        "pipeline " + name + " could not be stored, so nothing was registered; the server log has why");
            }
            ServedPipeline p;
            try {
                p = pipelines.register(name, PipelineSpec.fromJson(spec, settings.specDir()));
            } catch (PipelineRegistrationException e) {
                store.forget(name, saved);
                throw new ApiException(ErrorCode.SPEC_INVALID, e.getMessage());
            } catch (RuntimeException e) {
                store.forget(name, saved);
                throw e;
            }
            store.serves(name, saved.revision());
            LOG.info(
                    "pipeline {} {} by {}: revision {}",
                    name,
                    existed ? "replaced" : "registered",
                    who.getName(),
                    saved.revision());
            return ResponseEntity.status(existed ? HttpStatus.OK : HttpStatus.CREATED)
                    .body(Envelope.ok(summary(p)));
        } finally {
            lock.unlock();
        }
    }

    @DeleteMapping("/pipelines/{name}")
    @Operation(
            summary = "remove a pipeline; a stored one is not registered again at restart, its revisions stay (admin)")
    Envelope remove(@PathVariable("name") String name, Authentication who) {
        ReentrantLock lock = lockName(name);
        try {
            // a stored pipeline that start-up skipped is not served, but can still be marked removed
            if (pipelines.find(name).isEmpty() && !store.stores(name)) {
                pipelines.get(name); // no such pipeline: its own 404
            }
            int revisions = store.revisions(name).size();
            try {
                store.remove(name); // first: a removal that cannot be kept removes nothing
            } catch (UncheckedIOException e) {
                LOG.error("pipeline {} cannot be marked removed, so it is not removed", name, e);
                throw new ApiException(
                        ErrorCode.INTERNAL_ERROR,
                        "pipeline " + name + " could not be marked removed, so it still serves; the server log has"
                                + " why");
            }
            pipelines.remove(name);
            LOG.info("pipeline {} removed by {}", name, who.getName());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("revisions", revisions);
            return Envelope.ok(m);
        } finally {
            lock.unlock();
        }
    }

    @PostMapping(path = "/pipelines/{name}/predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "predict a small batch: each record's result or its typed failure")
    Envelope predict(@PathVariable("name") String name, @RequestBody PredictRequest request, Authentication who) {
        ServedPipeline p = pipelines.get(name);
        List<TextRecord> records = records(request);
        switch (p.state()) {
            case LOADING ->
                refuse("not_ready", ErrorCode.PIPELINE_NOT_READY, "pipeline " + name + " is loading its model", 2);
            case FAILED ->
                refuse(
                        "not_ready",
                        ErrorCode.PIPELINE_NOT_READY,
                        "pipeline " + name + " could not prepare its model: "
                                + p.problem().orElse("unknown"),
                        30);
            case CLOSED -> refuse("not_ready", ErrorCode.PIPELINE_NOT_READY, "pipeline " + name + " was replaced", 1);
            case READY -> {}
        }
        Optional<Duration> open = p.circuit().admit();
        if (open.isPresent()) {
            meters.rejected("circuit_open");
            throw new ApiException(
                    ErrorCode.CIRCUIT_OPEN,
                    "the circuit of model " + p.modelName() + " is open after repeated failures; retry after "
                            + open.get().toSeconds() + " s",
                    open.get());
        }
        long start = System.nanoTime();
        PipelineResult result;
        PredictionGate.Permit permit = enter();
        try {
            result = p.run(Dataset.of("request", records));
        } catch (IllegalStateException e) {
            if (p.state() != ServedPipeline.State.CLOSED) {
                throw e; // a fault, not a replaced pipeline: the envelope's 500
            }
            throw new ApiException(
                    ErrorCode.PIPELINE_NOT_READY,
                    "pipeline " + name + " was replaced; send the request again",
                    Duration.ofSeconds(1));
        } finally {
            permit.close();
        }
        LOG.info(
                "predict pipeline={} subject={} records={} succeeded={} failed={} ms={}",
                name,
                who.getName(),
                records.size(),
                result.succeeded(),
                result.failed(),
                (System.nanoTime() - start) / 1_000_000);
        return Envelope.ok(Predictions.of(result));
    }

    private PredictionGate.Permit enter() {
        try {
            return gate.enter();
        } catch (ApiException e) {
            meters.rejected("overloaded");
            throw e;
        }
    }

    private void refuse(String reason, ErrorCode code, String message, int retrySeconds) {
        meters.rejected(reason);
        throw new ApiException(code, message, Duration.ofSeconds(retrySeconds));
    }

    /** The request's records; a record without text becomes a failed result naming the field, not a 400. */
    private List<TextRecord> records(PredictRequest request) {
        if (request == null || request.records() == null) {
            throw new ApiException(
                    ErrorCode.VALIDATION_FAILED,
                    "records: required, e.g. {\"records\": [{\"id\": \"1\", \"text\": \"…\"}]}");
        }
        int max = settings.predict().maxRecords();
        int n = request.records().size();
        if (n == 0) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "records: must hold at least one record");
        }
        if (n > max) {
            throw new ApiException(
                    ErrorCode.BATCH_TOO_LARGE,
                    "records: " + n + " records, more than the " + max + " one request may hold "
                            + "(autoglm.server.predict.max-records); send them in several requests");
        }
        List<TextRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PredictRequest.Item item = request.records().get(i);
            String where = "records[" + i + "]";
            if (item == null) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED, where + ": must be an object");
            }
            if (item.text() == null) {
                records.add(TextRecord.invalid(item.id(), where, where + ".text: required"));
            } else {
                records.add(TextRecord.builder()
                        .id(item.id())
                        .text(item.text())
                        .textB(item.textB())
                        .source(where)
                        .build());
            }
        }
        return records;
    }

    private Map<String, Object> summary(ServedPipeline p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        store.serving(p.name()).ifPresent(r -> m.put("revision", r));
        m.put("task", p.taskType().name());
        m.put("model", p.modelName());
        m.put("provider", p.provider());
        m.put("state", p.state().name());
        m.put("circuit", p.circuit().state().name());
        p.problem().ifPresent(why -> m.put("problem", why));
        return m;
    }
}
