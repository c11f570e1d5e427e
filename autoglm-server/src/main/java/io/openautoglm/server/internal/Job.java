package io.openautoglm.server.internal;

import io.openautoglm.core.PipelineRun;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One job: what it runs (fixed when it is created, kept in {@code job.json}) and where it stands (kept in
 * {@code state.json}, rewritten atomically). Thread-safe: the state is changed under the job's lock.
 */
final class Job {
    /** Where a job stands. */
    enum State {
        QUEUED,
        RUNNING,
        SUCCEEDED,
        FAILED,
        CANCELLED;

        boolean finished() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    /**
     * What a job runs, fixed at creation.
     *
     * @param id       the job's id, a UUID
     * @param owner    the subject ({@code sub}) that created it
     * @param pipeline the pipeline it was created from, or {@code null} for an inline spec
     * @param spec     the spec as JSON (secrets are references only)
     * @param baseDir  the folder the spec's relative paths resolve against
     * @param source   the source: format, path (absolute) and columns
     * @param uploaded whether the source is an uploaded copy in the job's folder
     * @param created  when it was created
     */
    record Definition(
            String id,
            String owner,
            String pipeline,
            String spec,
            String baseDir,
            Map<String, Object> source,
            boolean uploaded,
            String created) {}

    final Definition definition;
    final Path dir;
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

    // under this
    State state = State.QUEUED;
    long succeeded;
    long failed;
    long calls;
    long promptTokens;
    long completionTokens;
    double cost;
    Map<String, Object> metrics;
    String message;
    String started;
    String finishedAt;
    int resumes;
    boolean cancelRequested;
    PipelineRun run;

    Job(Definition definition, Path dir) {
        this.definition = definition;
        this.dir = dir;
    }

    String id() {
        return definition.id();
    }

    synchronized State state() {
        return state;
    }

    /** The job as the API shows it. */
    synchronized Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", definition.id());
        m.put("owner", definition.owner());
        m.put("pipeline", definition.pipeline());
        m.put("state", state.name());
        m.put("source", definition.source().get("name"));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("processed", succeeded + failed);
        counts.put("succeeded", succeeded);
        counts.put("failed", failed);
        m.put("counts", counts);
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("calls", calls);
        usage.put("promptTokens", promptTokens);
        usage.put("completionTokens", completionTokens);
        usage.put("cost", cost);
        m.put("usage", usage);
        m.put("metrics", metrics);
        m.put("message", message);
        m.put("created", definition.created());
        m.put("started", started);
        m.put("finished", finishedAt);
        m.put("resumes", resumes);
        return m;
    }

    /** What {@code state.json} holds. */
    synchronized Map<String, Object> checkpoint() {
        Map<String, Object> m = view();
        m.put("updated", Instant.now().toString());
        return m;
    }

    /** Takes back what a {@code state.json} held. */
    @SuppressWarnings("unchecked")
    synchronized void restore(Map<String, Object> saved) {
        state = State.valueOf((String) saved.get("state"));
        Map<String, Object> usage = (Map<String, Object>) saved.getOrDefault("usage", Map.of());
        calls = ((Number) usage.getOrDefault("calls", 0)).longValue();
        promptTokens = ((Number) usage.getOrDefault("promptTokens", 0)).longValue();
        completionTokens = ((Number) usage.getOrDefault("completionTokens", 0)).longValue();
        cost = ((Number) usage.getOrDefault("cost", 0.0)).doubleValue();
        metrics = (Map<String, Object>) saved.get("metrics");
        message = (String) saved.get("message");
        started = (String) saved.get("started");
        finishedAt = (String) saved.get("finished");
        resumes = ((Number) saved.getOrDefault("resumes", 0)).intValue();
    }

    /** Hears of a job's progress. */
    interface Listener {
        /** Where the job stands now. */
        void update(Map<String, Object> job);

        /** No more news: the job finished, or the server is stopping. */
        void end();
    }

    /** Subscribes; returns what unsubscribes. */
    Runnable subscribe(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Tells the subscribers there is no more news, and forgets them. */
    void end() {
        for (Listener l : listeners) {
            listeners.remove(l);
            try {
                l.end();
            } catch (RuntimeException e) {
                // the stream is gone already
            }
        }
    }

    /** Tells the subscribers where the job stands now. */
    void publish() {
        Map<String, Object> now = view();
        for (Listener l : listeners) {
            try {
                l.update(now);
            } catch (RuntimeException e) {
                listeners.remove(l);
            }
        }
    }
}
