/** CSV, JSON Lines and JDBC sources. */
module io.openautoglm.data {
    requires transitive io.openautoglm.core;
    requires transitive java.sql;
    requires org.apache.commons.csv;
    requires com.fasterxml.jackson.databind;

    exports io.openautoglm.data;

    provides io.openautoglm.core.spi.SourceReader with
            io.openautoglm.data.internal.SpecSourceReader;
}
