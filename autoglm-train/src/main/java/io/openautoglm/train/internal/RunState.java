package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.AutoGlmException;
import io.openautoglm.train.TrainingResult.EpochReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a run stood after an epoch, kept in a {@code checkpoint/} folder: the weights and optimiser moments
 * ({@code state.bin}), the best epoch's weights ({@code best.bin}) and the rest ({@code state.json}, with the
 * fingerprint of the run that wrote it).
 *
 * <p>A checkpoint is written whole into {@code checkpoint.next/}, {@code state.json} last, and then takes the old
 * one's place; a run killed at any moment leaves one complete checkpoint, which {@link #read} finds.
 *
 * @param fingerprint what makes a run the same run: base model, data and settings; a checkpoint of another run is
 *                    refused, not continued
 */
record RunState(
        int epoch,
        long steps,
        List<EpochReport> history,
        int bestEpoch,
        double bestDev,
        Map<String, float[]> best,
        Map<String, String> fingerprint) {
    private static final ObjectMapper JSON = new ObjectMapper();

    void write(Path dir, Map<String, NDArray> tensors) throws IOException {
        Path next = dir.resolveSibling(dir.getFileName() + ".next");
        delete(next);
        Files.createDirectories(next);
        Checkpoint.write(tensors, next.resolve("state.bin"));
        if (best != null) {
            Checkpoint.writeValues(best, next.resolve("best.bin"));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("epoch", epoch);
        meta.put("steps", steps);
        meta.put("bestEpoch", bestEpoch);
        meta.put("bestDev", bestDev);
        meta.put("history", history);
        meta.put("fingerprint", fingerprint);
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(next.resolve("state.json").toFile(), meta);
        delete(dir);
        Files.move(next, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The state of the complete checkpoint beside {@code dir}, its tensors restored into {@code tensors}; {@code null}
     * when there is none.
     *
     * @throws AutoGlmException when the checkpoint was written by a run with another base model, data or settings
     */
    static RunState read(Path dir, Map<String, NDArray> tensors, Map<String, String> fingerprint) throws IOException {
        Path from = complete(dir);
        if (from == null) {
            return null;
        }
        JsonNode meta = JSON.readTree(from.resolve("state.json").toFile());
        Map<String, String> saved = new LinkedHashMap<>();
        meta.path("fingerprint")
                .properties()
                .forEach(f -> saved.put(f.getKey(), f.getValue().asText()));
        for (Map.Entry<String, String> f : fingerprint.entrySet()) {
            if (!f.getValue().equals(saved.get(f.getKey()))) {
                throw new AutoGlmException("The checkpoint in " + from + " belongs to another run: its " + f.getKey()
                        + " was " + saved.get(f.getKey()) + ", this run's is " + f.getValue() + ". Delete " + from
                        + " to start over, or write to another output folder.");
            }
        }
        Checkpoint.restore(Checkpoint.read(from.resolve("state.bin")), tensors, from.resolve("state.bin"));
        List<EpochReport> history = new ArrayList<>();
        for (JsonNode e : meta.path("history")) {
            history.add(new EpochReport(
                    e.get("epoch").asInt(),
                    e.get("loss").asDouble(),
                    e.get("devMetric").asDouble(),
                    e.get("seconds").asDouble(),
                    e.get("tokensPerSecond").asDouble(),
                    e.path("completed").asDouble(1)));
        }
        Map<String, float[]> best =
                Files.isRegularFile(from.resolve("best.bin")) ? Checkpoint.read(from.resolve("best.bin")) : null;
        return new RunState(
                meta.get("epoch").asInt(),
                meta.get("steps").asLong(),
                history,
                meta.get("bestEpoch").asInt(),
                meta.get("bestDev").asDouble(),
                best,
                fingerprint);
    }

    /** The complete checkpoint: {@code dir}, or the one written beside it before the swap; null when neither is. */
    static Path complete(Path dir) {
        Path next = dir.resolveSibling(dir.getFileName() + ".next");
        return Files.isRegularFile(dir.resolve("state.json"))
                ? dir
                : Files.isRegularFile(next.resolve("state.json")) ? next : null;
    }

    /** Removes a checkpoint folder, and the half-written one beside it if any. */
    static void deleteAll(Path dir) throws IOException {
        delete(dir);
        delete(dir.resolveSibling(dir.getFileName() + ".next"));
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.deleteIfExists(dir.resolve("state.json")); // first: without it a folder no longer counts as complete
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
