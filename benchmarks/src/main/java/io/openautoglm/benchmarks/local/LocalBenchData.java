package io.openautoglm.benchmarks.local;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.TextRecord;
import io.openautoglm.data.Columns;
import io.openautoglm.data.DataLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** The shared NLP datasets the local-engine benchmarks read, and the machine facts they print. */
public final class LocalBenchData {
    private LocalBenchData() {}

    /** {@code -Dshared.dir} (default {@code ../shared}, i.e. run from the repository root) + datasets/nlp. */
    public static Path nlp() {
        Path dir = Path.of(System.getProperty("shared.dir", "../shared"), "datasets", "nlp")
                .toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("datasets not found at " + dir + "; pass -Dshared.dir=/path/to/shared");
        }
        return dir;
    }

    public static Dataset chnSentiCorp(String split) {
        return DataLoader.fromCsv(nlp().resolve("chnsenticorp_htl").resolve(split + ".csv"))
                .load("text", "label");
    }

    public static Dataset afqmc(String split) {
        return DataLoader.fromCsv(nlp().resolve("afqmc").resolve(split + ".csv"))
                .load(Columns.builder()
                        .text("text_a")
                        .textB("text_b")
                        .label("label")
                        .build());
    }

    /** A seeded random subsample of {@code n} records (all of them when n is at least the size), in file order. */
    static List<TextRecord> sample(List<TextRecord> all, int n, long seed) {
        if (n >= all.size()) {
            return all;
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(seed));
        List<Integer> chosen = new ArrayList<>(idx.subList(0, n));
        Collections.sort(chosen);
        return chosen.stream().map(all::get).toList();
    }

    public static String machine() {
        return String.format(
                "%s, %d cores visible, Java %s, load average %.2f",
                System.getProperty("os.name"),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
    }
}
