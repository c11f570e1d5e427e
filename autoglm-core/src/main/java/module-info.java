/** The API: datasets, tasks, pipelines, pipeline specs, results and the model SPI. */
module io.openautoglm.core {
    requires transitive org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires com.networknt.schema;

    exports io.openautoglm.core;
    exports io.openautoglm.core.spi;

    uses io.openautoglm.core.spi.ModelProvider;
    uses io.openautoglm.core.spi.SourceReader;
}
