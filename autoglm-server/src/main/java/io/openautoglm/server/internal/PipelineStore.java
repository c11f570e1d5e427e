package io.openautoglm.server.internal;

import io.openautoglm.core.PipelineSpec;
import io.openautoglm.spring.AutoGlmPipelines;
import io.openautoglm.spring.ServedPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The pipelines registered over the API, kept in {@code autoglm.server.pipelines-dir} so that a restarted server
 * serves them again, with every revision an admin sent: {@code DIR/<name>/<revision>.json}, the spec as it was sent
 * (a spec's own {@code "version"} is the format's; a revision counts the registrations of one name). Secrets are
 * references only in it: a spec with an inline secret is refused before it is registered. A revision, once written,
 * is never overwritten: it is written and forced to disk under a temporary name, then linked into place, which fails
 * rather than replaces when another writer took that number first, so instances that share the folder cannot lose
 * each other's revisions (each serves what it registered until it restarts).
 *
 * <p>At start-up, before the server takes requests, the latest revision of each stored pipeline that an admin did not
 * remove ({@link #remove}) is registered, after
 * and in place of a configured one of the same name (the admin's registration is the later word on that name); one
 * that cannot be registered any more (a file it names is gone, a model no provider serves, a file edited by hand) is
 * logged and skipped, and its revisions stay on disk. The visual editor's versions of a spec are these revisions.
 * Thread-safe.
 */
@Component
class PipelineStore {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineStore.class);
    private static final Pattern REVISION_FILE = Pattern.compile("([1-9][0-9]{0,8})\\.json");
    private static final String TEMPORARY = ".new-";
    /** In a pipeline's folder: an admin removed it, so a restart does not bring it back; its revisions stay. */
    private static final String REMOVED = "removed";
    /** A temporary file this old is a crashed writer's, not another instance's that is still writing. */
    private static final Duration ABANDONED = Duration.ofHours(1);

    /** One stored revision of a pipeline's spec, and when it was written. */
    record Revision(int revision, Instant saved) {}

    /** What {@link #save} did: the revision, and whether it was written now (not the same text as the latest). */
    record Saved(int revision, boolean added) {}

    private final Path dir;
    private final Path specDir;
    /** The stored revision each pipeline serves, where it came from this store. */
    private final Map<String, Integer> serving = new ConcurrentHashMap<>();

    PipelineStore(ServerSettings settings, AutoGlmPipelines pipelines) {
        this.dir = settings.pipelinesDir().toAbsolutePath().normalize();
        this.specDir = settings.specDir();
        restore(pipelines);
    }

    /**
     * Writes a spec as the pipeline's next revision; the same text as the latest revision is that revision again, so
     * that sending a spec twice (a deploy script run again) adds nothing. {@link #serves} marks it served once it is
     * registered; {@link #forget} takes it back when it is not.
     *
     * @return the revision (from 1), and whether it was added
     * @throws IllegalArgumentException when the name is not one the registry allows
     * @throws UncheckedIOException when it cannot be written
     */
    Saved save(String name, String spec) {
        Path folder = folder(name)
                .orElseThrow(() ->
                        new IllegalArgumentException("pipeline name '" + name + "' is not one the registry allows"));
        try {
            Files.createDirectories(folder);
            int latest = latest(folder);
            if (latest > 0 && read(name, latest).filter(spec::equals).isPresent()) {
                return new Saved(latest, false);
            }
            Path written = Files.createTempFile(folder, TEMPORARY, ".json");
            try {
                writeForced(written, spec); // a power loss after the link must not leave an empty revision
                for (int revision = latest + 1; ; revision++) {
                    try {
                        place(written, folder.resolve(revision + ".json"));
                        return new Saved(revision, true);
                    } catch (FileAlreadyExistsException taken) {
                        // another writer took this number since the listing: try the next
                    }
                }
            } finally {
                deleteQuietly(written);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("pipeline " + name + ": cannot store its spec in " + folder, e);
        }
    }

    /** Marks a saved revision as the one the pipeline now serves (and a removed pipeline as back). */
    void serves(String name, int revision) {
        serving.put(name, revision);
        Optional<Path> mark = folder(name).map(f -> f.resolve(REMOVED));
        try {
            if (mark.isPresent()) {
                Files.deleteIfExists(mark.get());
            }
        } catch (IOException e) {
            // it serves now; only a restart would miss it
            LOG.error(
                    "pipeline {}: cannot take away its removal mark {}, so a restart will not register it",
                    name,
                    mark.get(),
                    e);
        }
    }

    /**
     * Marks a stored pipeline removed, so that a restart does not register it again; its revisions stay, and
     * registering the name again goes on from them.
     *
     * @throws UncheckedIOException when the mark cannot be written
     */
    void remove(String name) {
        Optional<Path> folder = folder(name);
        if (folder.isPresent() && Files.isDirectory(folder.get())) {
            try {
                writeForced(folder.get().resolve(REMOVED), Instant.now().toString());
            } catch (IOException e) {
                throw new UncheckedIOException("pipeline " + name + ": cannot mark it removed in " + folder.get(), e);
            }
        } // else never stored: nothing would bring it back
        serving.remove(name);
    }

    /** Whether the pipeline has a folder here, served or not (one skipped at start-up has). */
    boolean stores(String name) {
        return folder(name).filter(Files::isDirectory).isPresent();
    }

    /** Removes a revision just added whose spec could not be registered after all. */
    void forget(String name, Saved saved) {
        if (saved.added()) {
            folder(name).ifPresent(f -> deleteQuietly(f.resolve(saved.revision() + ".json")));
        }
    }

    /** Another stored pipeline whose name differs from this one in case only: one folder on some file systems. */
    Optional<String> caseTwin(String name) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path f : all) {
                String other = f.getFileName().toString();
                if (!other.equals(name) && other.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return Optional.of(other);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return Optional.empty();
    }

    /** The stored revisions of a pipeline, oldest first; empty when none is stored. */
    List<Revision> revisions(String name) {
        List<Revision> out = new ArrayList<>();
        Optional<Path> folder = folder(name);
        if (folder.isEmpty()) {
            return out;
        }
        for (Map.Entry<Integer, Path> e : files(folder.get()).entrySet()) {
            try {
                out.add(new Revision(
                        e.getKey(), Files.getLastModifiedTime(e.getValue()).toInstant()));
            } catch (NoSuchFileException gone) {
                // removed by hand since the listing
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return out;
    }

    /** One stored revision's spec, as it was sent. */
    Optional<String> read(String name, int revision) {
        Optional<Path> folder = folder(name);
        if (folder.isEmpty() || revision < 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(folder.get().resolve(revision + ".json"), StandardCharsets.UTF_8));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored revision a pipeline serves, when it came from this store. */
    Optional<Integer> serving(String name) {
        return Optional.ofNullable(serving.get(name));
    }

    /** The folder of a pipeline's revisions: a name the registry allows is one plain segment inside the store. */
    private Optional<Path> folder(String name) {
        return AutoGlmPipelines.allowsName(name) ? Optional.of(dir.resolve(name)) : Optional.empty();
    }

    private void restore(AutoGlmPipelines pipelines) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> folders = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, Files::isDirectory)) {
            all.forEach(folders::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stored pipelines in " + dir, e);
        }
        folders.sort(null);
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            if (!AutoGlmPipelines.allowsName(name)) {
                LOG.debug("{}: not a pipeline's folder (no pipeline has that name)", folder);
                continue;
            }
            if (Files.exists(folder.resolve(REMOVED))) {
                LOG.info("pipeline {}: removed by an admin, not registered (its revisions stay in {})", name, folder);
                continue;
            }
            int revision = 0;
            try {
                removeAbandoned(folder);
                revision = latest(folder);
                if (revision == 0) {
                    continue;
                }
                String spec = Files.readString(folder.resolve(revision + ".json"), StandardCharsets.UTF_8);
                boolean configured = pipelines.find(name).isPresent();
                ServedPipeline p = pipelines.register(name, PipelineSpec.fromJson(spec, specDir));
                serving.put(name, revision);
                if (configured) {
                    LOG.warn(
                            "pipeline {}: revision {} from {} serves in place of the configured one",
                            name,
                            revision,
                            dir);
                } else {
                    LOG.info("pipeline {}: revision {} from {}", p.name(), revision, dir);
                }
            } catch (IOException | RuntimeException e) {
                // one folder that no longer registers (or reads) must not keep the server from serving the others
                LOG.error(
                        "pipeline {}: stored revision {} in {} cannot be registered, skipped: {}",
                        name,
                        revision,
                        folder,
                        e.getMessage());
            }
        }
    }

    /**
     * Puts a written file at {@code target} unless that exists: a hard link, which fails rather than replaces. Where
     * the file system has no hard links, the number is first taken by creating the target (which fails as well when
     * it exists), then the file moved over it; a reader may then see that revision empty for a moment.
     */
    private static void place(Path written, Path target) throws IOException {
        try {
            Files.createLink(target, written);
        } catch (FileAlreadyExistsException taken) {
            throw taken;
        } catch (UnsupportedOperationException | FileSystemException noLinks) {
            Files.createFile(target);
            Files.move(written, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Writes a file and forces it to disk before returning. */
    private static void writeForced(Path file, String text) throws IOException {
        try (FileChannel out = FileChannel.open(
                file, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
    }

    /** Temporary files a crashed writer left (another instance's may still be in the making: only old ones). */
    private static void removeAbandoned(Path folder) throws IOException {
        Instant before = Instant.now().minus(ABANDONED);
        try (DirectoryStream<Path> all = Files.newDirectoryStream(folder, TEMPORARY + "*")) {
            for (Path f : all) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
                    deleteQuietly(f);
                }
            }
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            // a file another process holds open (an antivirus, on Windows): what was stored stays stored
            LOG.warn("cannot remove {}: {}", f, e.getMessage());
        }
    }

    /** The highest revision stored in a pipeline's folder, 0 when none. */
    private static int latest(Path folder) {
        TreeMap<Integer, Path> all = files(folder);
        return all.isEmpty() ? 0 : all.lastKey();
    }

    /** The revision files of a pipeline's folder, by revision; other files (a temporary one) are not revisions. */
    private static TreeMap<Integer, Path> files(Path folder) {
        TreeMap<Integer, Path> out = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(folder)) {
            for (Path f : all) {
                Matcher m = REVISION_FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    out.put(Integer.parseInt(m.group(1)), f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        return out;
    }
}
