package io.openautoglm.local.internal;

import io.openautoglm.core.DataException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Task;
import io.openautoglm.core.TextRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a task's labelled examples and refuses the set at its first unusable record. */
final class Examples {
    private Examples() {}

    /**
     * All examples, each checked with {@link Task#validate} and required to carry a gold label.
     *
     * @throws DataException naming the first bad example (its source, or the dataset and position) and why
     */
    static List<TextRecord> read(Task task) {
        Dataset examples = task.spec().examples();
        List<TextRecord> all = new ArrayList<>();
        int position = 0;
        for (TextRecord record : examples.toList()) {
            position++;
            Optional<String> problem = !record.isValid()
                    ? Optional.of(record.problem())
                    : task.validate(record)
                            .or(() -> record.label() == null
                                    ? Optional.of("no gold label (labelled examples need one)")
                                    : Optional.empty());
            if (problem.isPresent()) {
                String source = record.source() != null
                        ? record.source()
                        : examples.name() + " (example " + position + (record.id() == null ? "" : ", id " + record.id())
                                + ")";
                throw new DataException(
                        source,
                        0,
                        "unusable labelled example for the local model: " + problem.get()
                                + ". Fix or remove it from the task's examples.");
            }
            all.add(record);
        }
        if (all.isEmpty()) {
            throw new DataException(
                    examples.name(),
                    0,
                    "the labelled examples are empty; give some, or none at all "
                            + "(examples(null)) for zero-shot use");
        }
        return all;
    }
}
