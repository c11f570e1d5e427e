/** AutoGNN on DJL's PyTorch engine. */
module io.openautoglm.gnn {
    requires transitive io.openautoglm.core;
    requires transitive io.openautoglm.data;
    requires transitive ai.djl.api;
    requires ai.djl.pytorch_engine;
    requires com.fasterxml.jackson.databind;
    requires static org.knowm.xchart;
    requires static java.desktop;

    exports io.openautoglm.gnn;
    exports io.openautoglm.gnn.nn;
}
