/**
 * ONNX Runtime plumbing and graph rewriting: model directories, session and tensor helpers, and the
 * split of a merged decoder into a once-per-image cross-attention prelude and a per-step decoder
 * (the ONNX protobuf graph edits live here so model classes stay free of them).
 */
package multimodal.generator.inference.onnx;
