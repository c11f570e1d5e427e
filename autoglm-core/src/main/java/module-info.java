/** The API: datasets, tasks, pipelines, pipeline specs, results and the model SPI. */
// the qualified export below names modules built after this one
@SuppressWarnings("module")
module io.openautoglm.core {
    requires transitive org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires com.networknt.schema;
    requires static org.knowm.xchart;
    requires static java.desktop;

    exports io.openautoglm.core;
    exports io.openautoglm.core.spi;
    // one chart for the modules that draw progress, not an API
    exports io.openautoglm.core.internal.chart to
            io.openautoglm.gnn,
            io.openautoglm.prompt,
            io.openautoglm.train;

    uses io.openautoglm.core.spi.ModelProvider;
    uses io.openautoglm.core.spi.SourceReader;
}
