package io.openautoglm.data.internal;

import io.openautoglm.core.DataException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of one SQL query, read lazily through a forward-only result set. Each {@link #open()} takes a new
 * connection and runs the query again, so separate cursors are independent; closing the cursor closes the
 * result set, statement and connection. Credentials are never part of a name, message or {@code toString}.
 */
public final class JdbcTable extends Table {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcTable.class);
    private static final int NAME_SQL_CHARS = 40;

    /** Where connections come from: a {@code DataSource} or the driver manager. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection connect() throws SQLException;
    }

    private final ConnectionSource connections;
    private final String sql;
    private final List<Object> params;
    private final int fetchSize;
    private final Set<String> named;

    public JdbcTable(ConnectionSource connections, String sql, List<Object> params, int fetchSize, Set<String> named) {
        super(nameOf(sql));
        this.connections = connections;
        this.sql = sql;
        this.params = params;
        this.fetchSize = fetchSize;
        this.named = named;
        checkUpFront();
    }

    /** {@code jdbc:} and the start of the query, white space collapsed. */
    public static String nameOf(String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        return "jdbc:" + (flat.length() <= NAME_SQL_CHARS ? flat : flat.substring(0, NAME_SQL_CHARS) + "…");
    }

    @Override
    RowReader open() {
        return new Reader();
    }

    /**
     * Checks the columns without reading rows, where the driver can describe a prepared query; else the
     * check happens when a cursor opens.
     */
    private void checkUpFront() {
        try (Connection c = connections.connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ResultSetMetaData md = ps.getMetaData();
            if (md != null) {
                indexColumns(md);
            }
        } catch (SQLException e) {
            throw new DataException(name, 0, "cannot prepare the query: " + e.getMessage(), e);
        }
    }

    /** Column positions by the mapping's names; exact labels first, then ignoring case. */
    private Map<String, Integer> indexColumns(ResultSetMetaData md) throws SQLException {
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            labels.add(md.getColumnLabel(i));
        }
        Map<String, Integer> idx = new HashMap<>();
        for (String wanted : named) {
            int found = labels.indexOf(wanted);
            if (found < 0) {
                for (int i = 0; i < labels.size(); i++) {
                    if (labels.get(i).equalsIgnoreCase(wanted)) {
                        found = i;
                        break;
                    }
                }
            }
            if (found < 0) {
                throw new DataException(name, 0, "unknown column '" + wanted + "'; the query's columns are " + labels);
            }
            int type = md.getColumnType(found + 1);
            if (type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY || type == Types.BLOB) {
                throw new DataException(
                        name,
                        0,
                        "column '" + wanted + "' is binary (" + md.getColumnTypeName(found + 1)
                                + "), expected text; cast it in the query, e.g. CAST(" + labels.get(found)
                                + " AS VARCHAR)");
            }
            idx.put(wanted, found + 1);
        }
        return idx;
    }

    /** One run of the query. */
    private final class Reader implements RowReader {
        private Connection connection;
        private PreparedStatement statement;
        private ResultSet rows;
        private Map<String, Integer> index;
        private boolean restoreAutoCommit;
        private long rowNo;

        Reader() {
            try {
                connection = connections.connect();
                if (fetchSize > 0 && connection.getAutoCommit()) {
                    // Some drivers (PostgreSQL) honour the fetch size only inside a transaction; without it they
                    // load the whole result into memory.
                    connection.setAutoCommit(false);
                    restoreAutoCommit = true;
                }
                statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                statement.setFetchSize(fetchSize);
                for (int i = 0; i < params.size(); i++) {
                    statement.setObject(i + 1, params.get(i));
                }
                rows = statement.executeQuery();
                index = indexColumns(rows.getMetaData());
            } catch (SQLException e) {
                close();
                throw new DataException(name, 0, "cannot run the query: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public Read next() {
            try {
                if (!rows.next()) {
                    return null;
                }
            } catch (SQLException e) {
                throw new DataException(name, rowNo + 1, "cannot read the next row: " + e.getMessage(), e);
            }
            rowNo++;
            return Read.good(rowNo, new JdbcRow());
        }

        @Override
        public void close() {
            closeQuietly(rows);
            closeQuietly(statement);
            if (connection != null) {
                try {
                    if (restoreAutoCommit) {
                        connection.rollback();
                        connection.setAutoCommit(true);
                    }
                } catch (SQLException e) {
                    LOG.debug("{}: restoring auto-commit failed: {}", name, e.toString());
                }
                closeQuietly(connection);
            }
        }

        private void closeQuietly(AutoCloseable c) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.debug("{}: closing {} failed: {}", name, c.getClass().getSimpleName(), e.toString());
                }
            }
        }

        /** The current row of the result set. */
        private final class JdbcRow implements SourceRow {
            @Override
            public String kind() {
                return "column";
            }

            @Override
            public String string(String column) throws BadRecordException {
                try {
                    return rows.getString(index.get(column));
                } catch (SQLException e) {
                    throw new BadRecordException("cannot read column '" + column + "': " + e.getMessage());
                }
            }

            @Override
            public void addOthers(Set<String> mapped, Map<String, String> into) {
                try {
                    ResultSetMetaData md = rows.getMetaData();
                    Set<Integer> taken = new java.util.HashSet<>();
                    for (String m : mapped) {
                        taken.add(index.get(m));
                    }
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String label = md.getColumnLabel(i);
                        if (!taken.contains(i)) {
                            String v = rows.getString(i);
                            if (v != null) {
                                into.put(label, v);
                            }
                        }
                    }
                } catch (SQLException e) {
                    throw new DataException(name, rowNo, "cannot read the row's other columns: " + e.getMessage(), e);
                }
            }
        }
    }
}
