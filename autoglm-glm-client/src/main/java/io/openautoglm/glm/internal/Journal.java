package io.openautoglm.glm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's journal: one JSON line per finished record (record id, request hash, the answer), appended and forced to
 * disk before the record counts as done. Running again with the same journal reads it back, and a record whose id
 * and request hash are found is answered from it instead of the API, so a run killed at any point (even
 * {@code kill -9}) resumes with only the missing records and pays for none twice. A line torn by the crash is
 * skipped. The request hash is part of the key, so changing the prompt, the model or a parameter re-runs the record
 * rather than reusing an answer to a different question.
 *
 * <p>The file is locked while open: two processes cannot write one journal. Thread-safe.
 */
public final class Journal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Map<String, StoredAnswer> entries = new ConcurrentHashMap<>();
    private final int loaded;
    private final int skipped;
    private final Object writeLock = new Object();
    private final Object forceLock = new Object();
    private long written;
    private volatile long forced;

    private Journal(Path file) throws IOException {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        int ok = 0;
        int bad = 0;
        if (Files.exists(file)) {
            // Decoded leniently: a crash can cut a line inside a multi-byte character, and that line alone is bad.
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = Json.read(line);
                    entries.put(key(n.get("id").asText(), n.get("hash").asText()), StoredAnswer.fromJson(n));
                    ok++;
                } catch (Exception torn) {
                    bad++;
                }
            }
        }
        this.loaded = ok;
        this.skipped = bad;
        this.channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        FileLock l;
        try {
            l = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            channel.close();
            throw new IllegalStateException("journal: " + file + " is open in another run; give each run its own "
                    + "journal file or wait for the other run to end");
        }
        this.lock = l;
        long size = channel.size();
        if (size > 0 && lastByte(file, size) != '\n') {
            // The previous run died mid-line: start on a fresh line so the torn one stays a single bad line.
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
        if (ok > 0 || bad > 0) {
            LOG.info(
                    "journal {}: {} finished records read{}",
                    file,
                    ok,
                    bad > 0 ? ", " + bad + " torn line(s) skipped" : "");
        }
    }

    public static Journal open(Path file) {
        try {
            return new Journal(file);
        } catch (IOException e) {
            throw new UncheckedIOException("journal: cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** The answer journaled for this record and request, or {@code null}. */
    public StoredAnswer get(String recordId, String requestHash) {
        return entries.get(key(recordId, requestHash));
    }

    /** Appends a finished record and returns once it is on disk (forced), so a crash after this cannot lose it. */
    public void append(String recordId, String requestHash, StoredAnswer answer) {
        ObjectNode o = answer.toJson();
        o.put("id", recordId);
        o.put("hash", requestHash);
        byte[] line = (o.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            long seq;
            synchronized (writeLock) {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                seq = ++written;
            }
            // Group commit: one force covers every line written before it started, so records finishing together
            // share one disk flush instead of queueing for one each.
            if (forced < seq) {
                synchronized (forceLock) {
                    if (forced < seq) {
                        long upTo;
                        synchronized (writeLock) {
                            upTo = written;
                        }
                        channel.force(false);
                        forced = upTo;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("journal: cannot write " + file + ": " + e.getMessage(), e);
        }
        entries.put(key(recordId, requestHash), answer);
    }

    /** Entries read when it was opened. */
    public int loaded() {
        return loaded;
    }

    /** Torn or unreadable lines skipped when it was opened. */
    public int skipped() {
        return skipped;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            LOG.warn("journal {}: close failed: {}", file, e.toString());
        }
    }

    private static String key(String id, String hash) {
        return id + '\u0000' + hash;
    }

    private static int lastByte(Path file, long size) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            c.read(b, size - 1);
            return b.get(0);
        }
    }
}
