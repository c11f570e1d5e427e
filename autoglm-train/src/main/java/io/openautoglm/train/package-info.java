/**
 * Fine-tuning the embedded BERT encoder (bge-small-zh) on DJL's PyTorch engine, for classification, named-entity
 * recognition with a CRF, and pair matching. A tuned model is a folder that {@code local:DIR} serves on ONNX Runtime
 * alone. {@link io.openautoglm.train.Distiller} trains it on a teacher model's answers (labels, match decisions
 * or entities) instead of gold ones.
 */
package io.openautoglm.train;
