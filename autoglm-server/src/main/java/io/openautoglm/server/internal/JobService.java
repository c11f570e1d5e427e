package io.openautoglm.server.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Failure;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.Models;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.PipelineRun;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.RecordCursor;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.ResultSink;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.ModelProvider;
import io.openautoglm.spring.AutoGlmProperties;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs jobs, each a pipeline over a whole dataset, on a bounded pool ({@code autoglm.server.jobs.concurrency}), and
 * journals them under {@code autoglm.server.jobs-dir}, one folder per job: {@code job.json} (the spec and the
 * source), the uploaded input, {@code state.json} (rewritten atomically), {@code results.jsonl} (appended, one line
 * per record, written after each batch) and, for GLM models, {@code glm.journal} (the client's journal of paid
 * answers).
 *
 * <p>At start every job found there is loaded; those not finished run again, skipping the records already in
 * {@code results.jsonl}, while the GLM journal answers the records that were paid for but not yet written; so after
 * a {@code kill -9} no record is paid twice (save those in flight at the kill). At stop (graceful shutdown) running
 * jobs are cancelled without writing the records they had not finished; they stay unfinished on disk and go on at
 * the next start. Records without an id are given their 1-based position in the source as id, so a resumed job must
 * read the same source: an uploaded one is a copy, a server-side one should not change meanwhile. Thread-safe.
 */
@Component
public class JobService implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CHECKPOINT_EVERY = Duration.ofMillis(250);

    private final ServerSettings settings;
    private final AutoGlmProperties properties;
    private final Path jobsDir;
    private final DataPaths dataPaths;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile ThreadPoolExecutor executor;
    private volatile boolean running;
    private volatile boolean stopping;

    /** {@code autoglm.server.jobs}: the jobs this server holds, by {@code state}. */
    public static final String JOBS = "autoglm.server.jobs";

    public JobService(ServerSettings settings, AutoGlmProperties properties, ServerMeters meters) {
        this.settings = settings;
        this.properties = properties;
        this.jobsDir = settings.jobsDir().toAbsolutePath().normalize();
        this.dataPaths = new DataPaths(settings.dataDir());
        for (Job.State s : Job.State.values()) {
            Gauge.builder(
                            JOBS,
                            jobs,
                            all -> all.values().stream()
                                    .filter(j -> j.state() == s)
                                    .count())
                    .description("Jobs this server holds, by state")
                    .tag("state", s.name().toLowerCase(java.util.Locale.ROOT))
                    .register(meters.registry());
        }
    }

    /** Confines server-side source paths to the data folder. */
    public DataPaths dataPaths() {
        return dataPaths;
    }

    // ---- lifecycle ----

    @Override
    public synchronized void start() {
        try {
            Files.createDirectories(jobsDir);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the jobs folder " + jobsDir + " (autoglm.server.jobs-dir): " + e.getMessage(), e);
        }
        int n = settings.jobs().concurrency();
        AtomicInteger threads = new AtomicInteger();
        executor = new ThreadPoolExecutor(n, n, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "autoglm-job-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        stopping = false;
        running = true;
        List<Job> resume = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(jobsDir)) {
            for (Path dir : dirs.sorted().toList()) {
                Job job = load(dir);
                if (job == null) {
                    continue;
                }
                jobs.put(job.id(), job);
                if (!job.state().finished()) {
                    resume.add(job);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the jobs folder " + jobsDir + ": " + e.getMessage(), e);
        }
        resume.sort(Comparator.comparing(j -> j.definition.created()));
        for (Job job : resume) {
            synchronized (job) {
                job.resumes++;
                job.state = Job.State.QUEUED;
            }
            save(job);
            LOG.info(
                    "job {} resumes: {} records already done",
                    job.id(),
                    job.view().get("counts"));
            submit(job);
        }
        LOG.info("jobs: {} found in {}, {} resumed", jobs.size(), jobsDir, resume.size());
    }

    /**
     * Checkpoints the jobs: running ones are cancelled, the records they finished stay written, and they remain
     * unfinished on disk so that the next start goes on with them.
     */
    @Override
    public void stop() {
        ThreadPoolExecutor pool;
        synchronized (this) {
            if (!running) {
                return;
            }
            stopping = true;
            running = false;
            pool = executor;
        }
        for (Job job : jobs.values()) {
            PipelineRun run;
            synchronized (job) {
                run = job.run;
            }
            if (run != null) {
                run.cancel();
            }
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warn("jobs still running after 20 s; they resume at the next start");
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Job job : jobs.values()) {
            job.end();
        }
        jobs.clear();
        LOG.info("jobs checkpointed in {}", jobsDir);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server drains its requests, so that event streams end and let it finish. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    // ---- the API's operations ----

    /**
     * Creates a job and queues it.
     *
     * @param owner    the caller's subject
     * @param pipeline the pipeline's name, or {@code null} for an inline spec
     * @param spec     the spec to run
     * @param source   format, path (absolute, already confined or a copy in {@code jobDir}) and columns
     * @param jobDir   the job's folder, already made (the upload is in it)
     */
    Job create(
            String owner,
            String pipeline,
            PipelineSpec spec,
            Map<String, Object> source,
            boolean uploaded,
            String id,
            Path jobDir) {
        if (!running) {
            throw new ApiException(
                    ErrorCode.OVERLOADED, "the server is stopping; send the job again shortly", Duration.ofSeconds(5));
        }
        Job.Definition d = new Job.Definition(
                id,
                owner,
                pipeline,
                spec.toJson(),
                spec.baseDir().toString(),
                source,
                uploaded,
                Instant.now().toString());
        Job job = new Job(d, jobDir);
        write(jobDir.resolve("job.json"), d);
        save(job);
        jobs.put(id, job);
        submit(job);
        LOG.info("job {} created by {}: pipeline={} source={}", id, owner, pipeline, source.get("name"));
        return job;
    }

    /** A new job id and its folder. */
    Path newJobDir(String[] idOut) {
        if (queued.get() >= settings.jobs().maxQueued() + settings.jobs().concurrency()) {
            throw new ApiException(
                    ErrorCode.OVERLOADED,
                    "too many jobs waiting (autoglm.server.jobs.max-queued); send it again later",
                    Duration.ofSeconds(30));
        }
        String id = UUID.randomUUID().toString();
        Path dir = jobsDir.resolve(id);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        idOut[0] = id;
        return dir;
    }

    /** Removes a folder made for a job that was then refused. */
    void discard(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.toString());
        }
    }

    /**
     * The job of this id, when the caller may see it: its owner, or an admin.
     *
     * @throws ApiException {@link ErrorCode#JOB_NOT_FOUND} otherwise (also when it exists but is another's)
     */
    Job get(String id, String subject, boolean admin) {
        Job job = id == null ? null : jobs.get(id);
        if (job == null || !(admin || job.definition.owner().equals(subject))) {
            throw new ApiException(ErrorCode.JOB_NOT_FOUND, "no job " + id + " among yours");
        }
        return job;
    }

    /** The caller's jobs (an admin's: all), newest first. */
    List<Job> list(String subject, boolean admin) {
        return jobs.values().stream()
                .filter(j -> admin || j.definition.owner().equals(subject))
                .sorted(Comparator.comparing((Job j) -> j.definition.created()).reversed())
                .toList();
    }

    /** Cancels a job: a queued one at once, a running one after its batches in flight. */
    Job cancel(Job job) {
        PipelineRun run;
        synchronized (job) {
            if (job.state.finished()) {
                throw new ApiException(
                        ErrorCode.JOB_FINISHED, "job " + job.id() + " has finished already (" + job.state + ")");
            }
            job.cancelRequested = true;
            run = job.run;
            if (job.state == Job.State.QUEUED) {
                job.state = Job.State.CANCELLED;
                job.finishedAt = Instant.now().toString();
                job.message = "cancelled before it started";
            }
        }
        if (run != null) {
            run.cancel();
        }
        save(job);
        job.publish();
        if (job.state().finished()) {
            job.end();
        }
        return job;
    }

    // ---- running ----

    private void submit(Job job) {
        queued.incrementAndGet();
        executor.execute(() -> {
            queued.decrementAndGet();
            execute(job);
        });
    }

    private void execute(Job job) {
        synchronized (job) {
            if (stopping || job.cancelRequested || job.state.finished()) {
                return;
            }
            job.state = Job.State.RUNNING;
            job.message = null;
            if (job.started == null) {
                job.started = Instant.now().toString();
            }
        }
        save(job);
        job.publish();
        Job.Definition d = job.definition;
        Model model = null;
        TaskPipeline pipeline = null;
        try {
            PipelineSpec spec = PipelineSpec.fromJson(d.spec(), Path.of(d.baseDir()));
            Path results = job.dir.resolve("results.jsonl");
            Set<String> done = readDone(job, results);
            Dataset data = remaining(spec.open(source(d.source())), done);
            model = openModel(spec, job.dir);
            pipeline = TaskPipeline.builder().spec(spec).model(model).build();
            PipelineResult result;
            try (ResultLog log = new ResultLog(results)) {
                ResultSink sink = new ResultSink() {
                    private long lastCheckpoint = System.nanoTime();

                    @Override
                    public void accept(RecordResult r) {
                        if (r.failure() != null && r.failure().kind() == Failure.Kind.CANCELLED) {
                            return; // not done: a resumed job runs it
                        }
                        log.add(r);
                        synchronized (job) {
                            if (r.failure() == null) {
                                job.succeeded++;
                            } else {
                                job.failed++;
                            }
                        }
                    }

                    @Override
                    public void flush() {
                        log.flush();
                        if (System.nanoTime() - lastCheckpoint >= CHECKPOINT_EVERY.toNanos()) {
                            lastCheckpoint = System.nanoTime();
                            save(job);
                            job.publish();
                        }
                    }
                };
                PipelineRun run = pipeline.start(data, sink);
                synchronized (job) {
                    job.run = run;
                    if (job.cancelRequested || stopping) {
                        run.cancel();
                    }
                }
                result = run.join();
            }
            synchronized (job) {
                job.run = null;
                job.calls += result.usage().calls();
                job.promptTokens += result.usage().promptTokens();
                job.completionTokens += result.usage().completionTokens();
                job.cost += result.usage().cost();
                result.metrics().ifPresent(m -> job.metrics = metrics(m));
                if (job.cancelRequested) {
                    job.state = Job.State.CANCELLED;
                    job.message = "cancelled";
                } else if (stopping) {
                    job.state = Job.State.QUEUED;
                    job.message = "interrupted by a shutdown; goes on at the next start";
                } else {
                    job.state = Job.State.SUCCEEDED;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            synchronized (job) {
                job.run = null;
                if (stopping) {
                    job.state = Job.State.QUEUED;
                    job.message = "interrupted by a shutdown; goes on at the next start";
                } else {
                    job.state = Job.State.FAILED;
                    job.message = e.getMessage() == null ? e.toString() : e.getMessage();
                }
            }
            LOG.warn("job {} broke off: {}", job.id(), e.toString());
        } finally {
            try {
                if (pipeline != null) {
                    pipeline.close();
                }
            } finally {
                if (model != null) {
                    model.close();
                }
            }
        }
        synchronized (job) {
            if (job.state.finished()) {
                job.finishedAt = Instant.now().toString();
            }
        }
        save(job);
        job.publish();
        if (job.state().finished()) {
            job.end();
        }
        LOG.info("job {} {}: {}", job.id(), job.state(), job.view().get("counts"));
    }

    /** The job's model, opened for it alone: a GLM model with the job's journal, so that no answer is paid twice. */
    private Model openModel(PipelineSpec spec, Path dir) {
        String name = spec.model().name();
        Map<String, String> options = new LinkedHashMap<>(spec.resolvedModelOptions());
        String provider = Models.providers().stream()
                .filter(p -> p.supports(name))
                .map(ModelProvider::name)
                .findFirst()
                .orElse("");
        if ("glm".equals(provider)) {
            String key = properties.glm().apiKey();
            if (key != null && !key.isBlank() && !options.containsKey("apiKey")) {
                options.put("apiKey", key);
            }
            options.put("journal", dir.resolve("glm.journal").toString());
        }
        return Models.open(name, options);
    }

    /** The source's records with ids (their 1-based position when they have none), less those done already. */
    private static Dataset remaining(Dataset base, Set<String> done) {
        return new Dataset() {
            @Override
            public String name() {
                return base.name();
            }

            @Override
            public RecordCursor open() {
                RecordCursor c = base.open();
                return new RecordCursor() {
                    private long position;
                    private TextRecord next;

                    @Override
                    public boolean hasNext() {
                        while (next == null && c.hasNext()) {
                            TextRecord r = c.next();
                            position++;
                            if (r.id() == null) {
                                r = r.toBuilder().id(String.valueOf(position)).build();
                            }
                            if (!done.contains(r.id())) {
                                next = r;
                            }
                        }
                        return next != null;
                    }

                    @Override
                    public TextRecord next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        TextRecord r = next;
                        next = null;
                        return r;
                    }

                    @Override
                    public void close() {
                        c.close();
                    }
                };
            }
        };
    }

    private static PipelineSpec.Source source(Map<String, Object> s) {
        PipelineSpec.SourceBuilder b = PipelineSpec.Source.builder((String) s.get("format"))
                .path((String) s.get("path"))
                .textColumn((String) s.get("textColumn"));
        if (s.get("textBColumn") != null) {
            b.textBColumn((String) s.get("textBColumn"));
        }
        if (s.get("labelColumn") != null) {
            b.labelColumn((String) s.get("labelColumn"));
        }
        if (s.get("idColumn") != null) {
            b.idColumn((String) s.get("idColumn"));
        }
        return b.build();
    }

    /**
     * The ids of the records in {@code results.jsonl}, counted into the job; a last line torn by a kill is cut off.
     */
    private static Set<String> readDone(Job job, Path results) {
        Set<String> done = new HashSet<>();
        if (!Files.exists(results)) {
            return done;
        }
        try {
            long whole = 0;
            long at = 0;
            try (InputStream in = Files.newInputStream(results)) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            whole = at + i + 1;
                        }
                    }
                    at += n;
                }
            }
            if (whole < at) {
                try (FileChannel ch = FileChannel.open(results, StandardOpenOption.WRITE)) {
                    ch.truncate(whole);
                }
            }
            long succeeded = 0;
            long failed = 0;
            try (BufferedReader r = Files.newBufferedReader(results, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode n = JSON.readTree(line);
                    done.add(n.path("id").asText());
                    if (n.has("failure")) {
                        failed++;
                    } else {
                        succeeded++;
                    }
                }
            }
            synchronized (job) {
                job.succeeded = succeeded;
                job.failed = failed;
            }
            return done;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + results + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> metrics(Metrics m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("evaluated", m.evaluated());
        if (m instanceof Metrics.ClassificationMetrics c) {
            out.put("accuracy", c.accuracy());
            out.put("macroF1", c.macroF1());
        } else if (m instanceof Metrics.EntityMetrics e) {
            out.put("precision", e.micro().precision());
            out.put("recall", e.micro().recall());
            out.put("f1", e.micro().f1());
        } else if (m instanceof Metrics.MatchingMetrics p) {
            out.put("accuracy", p.accuracy());
            out.put("positiveF1", p.positive().f1());
        }
        return out;
    }

    // ---- the folder ----

    private Job load(Path dir) {
        Path def = dir.resolve("job.json");
        Path state = dir.resolve("state.json");
        if (!Files.isRegularFile(def) || !Files.isRegularFile(state)) {
            return null;
        }
        try {
            Job job = new Job(JSON.readValue(def.toFile(), Job.Definition.class), dir);
            job.restore(JSON.readValue(state.toFile(), new TypeReference<Map<String, Object>>() {}));
            if (!job.state().finished()) {
                readDone(job, dir.resolve("results.jsonl"));
            }
            return job;
        } catch (IOException | RuntimeException e) {
            LOG.warn("skipping the job folder {}: {}", dir, e.toString());
            return null;
        }
    }

    private void save(Job job) {
        write(job.dir.resolve("state.json"), job.checkpoint());
    }

    /** Writes a file whole or not at all: a temporary file, forced to disk, moved over the old one. */
    private static void write(Path file, Object value) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code results.jsonl}: lines appended, written out at each flush, forced to disk. Not thread-safe. */
    private static final class ResultLog implements AutoCloseable {
        private final FileChannel channel;
        private final StringBuilder pending = new StringBuilder();

        ResultLog(Path file) {
            try {
                channel = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
            }
        }

        void add(RecordResult r) {
            try {
                pending.append(JSON.writeValueAsString(Predictions.one(r))).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void flush() {
            if (pending.length() == 0) {
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.UTF_8));
            pending.setLength(0);
            try {
                while (b.hasRemaining()) {
                    channel.write(b);
                }
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the results: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                flush();
            } finally {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("closing the results: {}", e.toString());
                }
            }
        }
    }
}
