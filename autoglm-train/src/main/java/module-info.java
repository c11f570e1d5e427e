/** Fine-tuning the embedded encoder on DJL's PyTorch engine. */
module io.openautoglm.train {
    requires transitive io.openautoglm.core;
    requires io.openautoglm.local;
    requires ai.djl.api;
    requires ai.djl.tokenizers;
    requires com.microsoft.onnxruntime;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires static org.knowm.xchart;

    exports io.openautoglm.train;
}
