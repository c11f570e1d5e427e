package io.openautoglm.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A source of {@link TextRecord}s that can be read any number of times, each time from the start.
 *
 * <p>A dataset streams: those read from files or databases hold one record at a time, so a file larger
 * than memory can be run through a pipeline. {@link #of(String, List)} makes one in memory.
 *
 * <pre>{@code
 * Dataset train = DataLoader.fromCsv(Path.of("train.csv")).load("text", "label");
 * try (Stream<TextRecord> records = train.stream()) {
 *     records.limit(3).forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe in the sense that separate {@link #open()} calls return
 * independent cursors.
 */
public interface Dataset {

    /** A short name for messages and reports, such as the file name. */
    String name();

    /** Opens a new cursor positioned before the first record. The caller must close it. */
    RecordCursor open();

    /** A sequential stream over a new cursor; close the stream to release the source. */
    default Stream<TextRecord> stream() {
        RecordCursor cursor = open();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(cursor, Spliterator.ORDERED), false)
                .onClose(cursor::close);
    }

    /** Reads every record into memory. Only for data known to fit. */
    default List<TextRecord> toList() {
        List<TextRecord> all = new ArrayList<>();
        try (RecordCursor cursor = open()) {
            cursor.forEachRemaining(all::add);
        }
        return all;
    }

    /** This dataset with each record transformed lazily as it is read. */
    default Dataset map(UnaryOperator<TextRecord> mapper) {
        Objects.requireNonNull(mapper, "mapper");
        Dataset base = this;
        return new Dataset() {
            @Override
            public String name() {
                return base.name();
            }

            @Override
            public RecordCursor open() {
                RecordCursor inner = base.open();
                return new RecordCursor() {
                    @Override
                    public boolean hasNext() {
                        return inner.hasNext();
                    }

                    @Override
                    public TextRecord next() {
                        return mapper.apply(inner.next());
                    }

                    @Override
                    public void close() {
                        inner.close();
                    }
                };
            }
        };
    }

    /** This dataset restricted to the records that match, read lazily. */
    default Dataset filter(Predicate<TextRecord> keep) {
        Objects.requireNonNull(keep, "keep");
        Dataset base = this;
        return new Dataset() {
            @Override
            public String name() {
                return base.name();
            }

            @Override
            public RecordCursor open() {
                RecordCursor inner = base.open();
                return new RecordCursor() {
                    private TextRecord next;

                    @Override
                    public boolean hasNext() {
                        while (next == null && inner.hasNext()) {
                            TextRecord candidate = inner.next();
                            if (keep.test(candidate)) {
                                next = candidate;
                            }
                        }
                        return next != null;
                    }

                    @Override
                    public TextRecord next() {
                        if (!hasNext()) {
                            throw new java.util.NoSuchElementException();
                        }
                        TextRecord r = next;
                        next = null;
                        return r;
                    }

                    @Override
                    public void close() {
                        inner.close();
                    }
                };
            }
        };
    }

    /** An in-memory dataset over a copy of the given records. */
    static Dataset of(String name, List<TextRecord> records) {
        Objects.requireNonNull(name, "name");
        List<TextRecord> copy = List.copyOf(records);
        return new Dataset() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public RecordCursor open() {
                Iterator<TextRecord> it = copy.iterator();
                return new RecordCursor() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public TextRecord next() {
                        return it.next();
                    }

                    @Override
                    public void close() {}
                };
            }

            @Override
            public List<TextRecord> toList() {
                return copy;
            }

            @Override
            public String toString() {
                return "Dataset[" + name + ", " + copy.size() + " records]";
            }
        };
    }

    /** An in-memory dataset named {@code "memory"}. */
    static Dataset of(List<TextRecord> records) {
        return of("memory", records);
    }
}
