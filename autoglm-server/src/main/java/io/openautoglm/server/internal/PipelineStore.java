package io.openautoglm.server.internal;

import io.openautoglm.core.PipelineSpec;
import io.openautoglm.spring.AutoGlmPipelines;
import io.openautoglm.spring.ServedPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The pipelines registered over the API, kept in {@code autoglm.server.pipelines-dir} so that a restarted server
 * serves them again, with every version an admin sent: {@code DIR/<name>/<version>.json}, the spec as it was sent.
 * Secrets are references only in it (a spec with an inline secret is refused before it is registered). A version,
 * once written, is never overwritten: a new one is written beside it under a temporary name and linked into place,
 * which fails rather than replaces when another writer took that number first, so instances that share the folder
 * cannot lose each other's versions (each serves what it registered until it restarts).
 *
 * <p>At start-up the latest version of each stored pipeline is registered, after and in place of a configured one of
 * the same name (the admin's registration is the later word on that name); one that cannot be registered any more
 * (a file it names is gone, a model no provider serves) is logged and skipped, and its versions stay on disk. The
 * visual editor's versions of a spec are these.
 */
@Component
public class PipelineStore {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineStore.class);
    private static final Pattern VERSION_FILE = Pattern.compile("([1-9][0-9]{0,8})\\.json");

    /** One stored version of a pipeline's spec. */
    public record Version(int version, Instant saved) {}

    private final Path dir;
    private final Path specDir;
    /** The stored version each pipeline serves, where it came from this store. */
    private final Map<String, Integer> serving = new ConcurrentHashMap<>();

    public PipelineStore(ServerSettings settings, AutoGlmPipelines pipelines) {
        this.dir = settings.pipelinesDir().toAbsolutePath().normalize();
        this.specDir = settings.specDir();
        restore(pipelines);
    }

    /**
     * Writes a registered pipeline's spec as its next version.
     *
     * @return the version written, from 1
     * @throws UncheckedIOException when it cannot be written
     */
    public int save(String name, String spec) {
        if (!AutoGlmPipelines.allowsName(name)) {
            throw new IllegalArgumentException("pipeline name '" + name + "' is not one the registry allows");
        }
        Path folder = dir.resolve(name);
        try {
            Files.createDirectories(folder);
            Path written = Files.createTempFile(folder, ".new-", ".json");
            try {
                Files.writeString(written, spec, StandardCharsets.UTF_8);
                for (int version = latest(folder) + 1; ; version++) {
                    try {
                        place(written, folder.resolve(version + ".json"));
                        serving.put(name, version);
                        return version;
                    } catch (FileAlreadyExistsException taken) {
                        // another writer took this number between the listing and the link: try the next
                    }
                }
            } finally {
                Files.deleteIfExists(written);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("pipeline " + name + ": cannot store its spec in " + folder, e);
        }
    }

    /**
     * Puts a written file at {@code target} unless that exists: a hard link, which fails rather than replaces, and
     * where the file system has none, a move, which then fails as well (though not atomically against another writer).
     */
    private static void place(Path written, Path target) throws IOException {
        try {
            Files.createLink(target, written);
        } catch (FileAlreadyExistsException taken) {
            throw taken;
        } catch (UnsupportedOperationException | FileSystemException noLinks) {
            Files.move(written, target);
        }
    }

    /** The stored versions of a pipeline, oldest first; empty when none is stored. */
    public List<Version> versions(String name) {
        List<Version> out = new ArrayList<>();
        if (!AutoGlmPipelines.allowsName(name)) {
            return out;
        }
        for (Map.Entry<Integer, Path> e : files(dir.resolve(name)).entrySet()) {
            try {
                out.add(new Version(
                        e.getKey(), Files.getLastModifiedTime(e.getValue()).toInstant()));
            } catch (NoSuchFileException gone) {
                // removed by hand since the listing
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        out.sort(Comparator.comparingInt(Version::version));
        return out;
    }

    /** One stored version's spec, as it was sent. */
    public Optional<String> read(String name, int version) {
        if (!AutoGlmPipelines.allowsName(name)) {
            return Optional.empty();
        }
        Path file = dir.resolve(name).resolve(version + ".json");
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored version a pipeline serves, when it came from this store. */
    public Optional<Integer> serving(String name) {
        return Optional.ofNullable(serving.get(name));
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
        folders.sort(Comparator.naturalOrder());
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            int version = latest(folder);
            if (version == 0) {
                continue;
            }
            try {
                String spec = Files.readString(folder.resolve(version + ".json"), StandardCharsets.UTF_8);
                boolean configured = pipelines.find(name).isPresent();
                ServedPipeline p = pipelines.register(name, PipelineSpec.fromJson(spec, specDir));
                serving.put(name, version);
                LOG.info(
                        "pipeline {}: version {} from {}{}",
                        p.name(),
                        version,
                        dir,
                        configured ? ", in place of the configured one" : "");
            } catch (IOException | RuntimeException e) {
                // one spec that no longer registers must not keep the server from serving the others
                LOG.error(
                        "pipeline {}: stored version {} in {} cannot be registered, skipped: {}",
                        name,
                        version,
                        folder,
                        e.getMessage());
            }
        }
    }

    /** The highest version stored in a pipeline's folder, 0 when none. */
    private static int latest(Path folder) {
        return files(folder).keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The version files of a pipeline's folder, by version; other files (a temporary one) are not versions. */
    private static Map<Integer, Path> files(Path folder) {
        Map<Integer, Path> out = new ConcurrentHashMap<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(folder)) {
            for (Path f : all) {
                Matcher m = VERSION_FILE.matcher(f.getFileName().toString());
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
