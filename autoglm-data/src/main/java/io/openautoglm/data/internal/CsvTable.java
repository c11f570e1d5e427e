package io.openautoglm.data.internal;

import io.openautoglm.core.DataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CSV file read lazily, one row at a time, by Commons CSV over a strict decoder. The header (or, without
 * one, the first row's width) is read when the table is made, so that unknown columns fail at once.
 * Thread-safe: each {@link #open()} reads the file anew.
 */
public final class CsvTable extends Table {
    private static final Logger LOG = LoggerFactory.getLogger(CsvTable.class);
    private static final Pattern START_LINE = Pattern.compile("startline (\\d+)");
    private static final Pattern AT_LINE = Pattern.compile("at line: (\\d+)");

    private final FileSettings settings;
    private final CSVFormat format;
    private final List<String> columnNames;
    private final Map<String, Integer> index;

    public CsvTable(FileSettings settings, Set<String> named, boolean allColumns) {
        super(InputFiles.fileName(settings.path()));
        this.settings = settings;
        // RFC 4180 keeps blank lines as records, so that line numbers can be counted; the cursor skips them.
        // The strict quote mode reads an unquoted empty field as null and a quoted one ("") as "", which is how a
        // blank line (skipped) differs from a row whose one field is an empty text (kept, and failed by the task).
        this.format = CSVFormat.RFC4180
                .builder()
                .setDelimiter(settings.delimiter())
                .setQuote(settings.quote())
                .setQuoteMode(QuoteMode.ALL_NON_NULL)
                .setIgnoreEmptyLines(false)
                .get();
        InputFiles.checkReadable(settings.path());
        this.columnNames = readColumns();
        this.index = indexColumns(named, allColumns);
    }

    @Override
    RowReader open() {
        return new Reader();
    }

    private CSVParser parser(DecodingReader reader) {
        try {
            return CSVParser.parse(reader, format);
        } catch (IOException e) {
            throw new DataException(name, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads the first non-blank row: the header, or a data row whose width names the columns. */
    private List<String> readColumns() {
        String abs = settings.path().toAbsolutePath().toString();
        try (DecodingReader reader = new DecodingReader(InputFiles.open(settings.path()), settings.charset());
                CSVParser parser = parser(reader)) {
            Iterator<CSVRecord> it = parser.iterator();
            long prevEnd = 0;
            while (true) {
                if (!it.hasNext()) {
                    throw new DataException(
                            abs,
                            0,
                            "file is empty: expected "
                                    + (settings.header() ? "a header row naming the columns" : "at least one row"));
                }
                CSVRecord first = it.next();
                long start = prevEnd + 1;
                long end = Math.max(start, parser.getCurrentLineNumber());
                prevEnd = end;
                long bad = reader.takeBadLineUpTo(end);
                if (bad > 0) {
                    throw new DataException(abs, bad, Charsets.undecodable(bad, settings.charset()));
                }
                if (isBlank(first)) {
                    continue;
                }
                List<String> names = new ArrayList<>(first.size());
                for (int i = 0; i < first.size(); i++) {
                    names.add(settings.header() ? field(first, i).strip() : String.valueOf(i + 1));
                }
                return List.copyOf(names);
            }
        } catch (UncheckedIOException e) {
            throw new DataException(
                    abs, 1, "cannot read the first row: " + e.getCause().getMessage(), e);
        } catch (IOException e) {
            throw new DataException(abs, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    private Map<String, Integer> indexColumns(Set<String> named, boolean allColumns) {
        Map<String, Integer> idx = new HashMap<>();
        Set<String> duplicated = new java.util.LinkedHashSet<>();
        for (int i = 0; i < columnNames.size(); i++) {
            if (idx.putIfAbsent(columnNames.get(i), i) != null) {
                duplicated.add(columnNames.get(i));
            }
        }
        String abs = settings.path().toAbsolutePath().toString();
        for (String c : named) {
            if (!idx.containsKey(c)) {
                String hint = settings.header()
                        ? "; if the file has no header row, use .header(false) and name columns by position \"1\", \"2\", …"
                        : "; without a header, columns are named by their 1-based position";
                throw new DataException(
                        abs,
                        settings.header() ? 1 : 0,
                        "unknown column '" + c + "'; the columns are " + columnNames + hint);
            }
            if (duplicated.contains(c)) {
                throw new DataException(
                        abs, 1, "column '" + c + "' appears more than once in the header " + columnNames);
            }
        }
        if (allColumns && !duplicated.isEmpty()) {
            throw new DataException(
                    abs,
                    1,
                    "columns " + duplicated + " appear more than once in the header, so they"
                            + " cannot all be read by name");
        }
        return Map.copyOf(idx);
    }

    private static boolean isBlank(CSVRecord r) {
        return r.size() == 0 || r.size() == 1 && r.get(0) == null;
    }

    /** A field's text; an empty field, quoted or not, is "". */
    private static String field(CSVRecord r, int i) {
        String v = r.get(i);
        return v == null ? "" : v;
    }

    /** One pass over the file. */
    private final class Reader implements RowReader {
        private final DecodingReader reader;
        private final CSVParser parser;
        private final Iterator<CSVRecord> it;
        private boolean headerSkipped = !settings.header();
        private long prevEnd;
        private boolean broken;

        Reader() {
            this.reader = new DecodingReader(InputFiles.open(settings.path()), settings.charset());
            this.parser = parser(reader);
            this.it = parser.iterator();
        }

        @Override
        public Read next() {
            while (!broken) {
                long start = prevEnd + 1;
                try {
                    if (!it.hasNext()) {
                        return null;
                    }
                } catch (UncheckedIOException e) {
                    return unparseable(start, e.getCause());
                }
                CSVRecord r = it.next();
                long end = Math.max(start, parser.getCurrentLineNumber());
                prevEnd = end;
                long badLine = reader.takeBadLineUpTo(end);
                if (badLine == 0 && isBlank(r)) {
                    continue;
                }
                if (!headerSkipped) {
                    headerSkipped = true;
                    continue;
                }
                CsvRow row = new CsvRow(r);
                if (badLine > 0) {
                    return new Read(start, row, Charsets.undecodable(badLine, settings.charset()));
                }
                if (r.size() != columnNames.size()) {
                    String what = r.size() < columnNames.size() ? "too few" : "too many";
                    return new Read(
                            start,
                            row,
                            what + " fields: the row has " + r.size() + " but "
                                    + (settings.header() ? "the header has " : "the first row has ")
                                    + columnNames.size()
                                    + " " + columnNames
                                    + (r.size() > columnNames.size()
                                            ? "; is a field with a '" + settings.delimiter() + "' in it not quoted?"
                                            : ""));
                }
                return Read.good(start, row);
            }
            return null;
        }

        /** Commons CSV cannot go on after a syntax error: the rest of the file becomes one bad record. */
        private Read unparseable(long recordStart, Throwable cause) {
            if (!(cause instanceof org.apache.commons.csv.CSVException)) {
                throw new DataException(name, recordStart, "cannot read: " + cause, cause);
            }
            broken = true;
            String message = cause.getMessage();
            long line = recordStart;
            Matcher m = START_LINE.matcher(message);
            Matcher a = AT_LINE.matcher(message);
            String reason;
            if (message.contains("EOF reached before encapsulated token finished")) {
                if (m.find()) {
                    line = Long.parseLong(m.group(1));
                }
                reason = "unbalanced quote: the quoted field that starts on line " + line + " is never closed, so"
                        + " the rest of the file from line " + line + " could not be parsed";
            } else {
                if (a.find()) {
                    line = Long.parseLong(a.group(1));
                }
                reason = "malformed CSV (" + message + "), so the rest of the file from line " + line
                        + " could not be parsed";
            }
            long badLine = reader.takeBadLineUpTo(Long.MAX_VALUE);
            if (badLine > 0) {
                reason += "; " + Charsets.undecodable(badLine, settings.charset());
            }
            LOG.debug("{}:{}: {}", name, line, reason);
            return new Read(line, null, reason);
        }

        @Override
        public void close() {
            try {
                parser.close();
            } catch (IOException e) {
                LOG.debug("closing {} failed: {}", name, e.toString());
            }
        }
    }

    /** A CSV row whose width was checked, or not, against the header. */
    private final class CsvRow implements SourceRow {
        private final CSVRecord r;

        CsvRow(CSVRecord r) {
            this.r = r;
        }

        @Override
        public String kind() {
            return "column";
        }

        @Override
        public String string(String column) {
            Integer i = index.get(column);
            return i == null || i >= r.size() ? null : field(r, i);
        }

        @Override
        public void addOthers(Set<String> mapped, Map<String, String> into) {
            for (int i = 0; i < columnNames.size() && i < r.size(); i++) {
                if (!mapped.contains(columnNames.get(i))) {
                    into.put(columnNames.get(i), field(r, i));
                }
            }
        }
    }
}
