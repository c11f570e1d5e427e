package io.openautoglm.glm.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers stored by request content: the key is the SHA-256 of model, parameters and messages, one file per answer
 * under a two-character fan-out directory. Files are written to a temporary name and moved into place, so readers
 * in other runs or processes see a whole answer or none. Safe to share between runs and processes.
 */
public final class ResponseCache {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);
    private final Path dir;

    public ResponseCache(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cache: cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public StoredAnswer get(String requestHash) {
        Path f = path(requestHash);
        try {
            return StoredAnswer.fromJson(Json.read(Files.readString(f, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException missing) {
            return null;
        } catch (Exception unreadable) {
            LOG.warn("cache: ignoring unreadable entry {}: {}", f, unreadable.toString());
            return null;
        }
    }

    public void put(String requestHash, StoredAnswer answer) {
        Path f = path(requestHash);
        Path tmp = null;
        try {
            Files.createDirectories(f.getParent());
            tmp = Files.createTempFile(f.getParent(), requestHash.substring(0, 8), ".tmp");
            Files.writeString(tmp, answer.toJson().toString(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // A cache that cannot be written costs money later but must not fail the record now.
            LOG.warn("cache: cannot write {}: {}", f, e.toString());
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp); // or every failed write would leave one more file behind
                } catch (IOException ignored) {
                    // the warning above already says the cache is not writable
                }
            }
        }
    }

    public Path dir() {
        return dir;
    }

    private Path path(String hash) {
        return dir.resolve(hash.substring(0, 2)).resolve(hash + ".json");
    }
}
