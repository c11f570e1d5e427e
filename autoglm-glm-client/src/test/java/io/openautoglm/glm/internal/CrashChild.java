package io.openautoglm.glm.internal;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import java.util.ArrayList;
import java.util.List;

/** A run that {@link JournalResumeTest} kills with SIGKILL part-way: args base URL, journal path, record count. */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) {
        try (TaskPipeline p = JournalResumeTest.pipeline(args[0], args[1]).build()) {
            p.run(JournalResumeTest.records(Integer.parseInt(args[2])));
        }
    }

    static Dataset dataset(int n) {
        List<TextRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(TextRecord.builder().id("r" + i).text("房间很干净 #" + i).build());
        }
        return Dataset.of("crash", records);
    }

    static TaskType type() {
        return TaskType.TEXT_CLASSIFICATION;
    }
}
