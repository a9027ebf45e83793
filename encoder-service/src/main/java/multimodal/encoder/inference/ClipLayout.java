package multimodal.encoder.inference;

/** The CLIP export layouts a model directory may hold (docs/models.md §2.1). */
public enum ClipLayout {
  /**
   * transformers.js / Optimum split: onnx/text_model.onnx + onnx/vision_model.onnx; raw outputs.
   */
  SPLIT,
  /**
   * Optimum full model: onnx/model.onnx (or model.onnx), both towers in one graph; normalised
   * outputs.
   */
  COMBINED,
  /**
   * Immich / OpenCLIP: textual/model.onnx (int32 [1,77]) + visual/model.onnx ([1,3,S,S]);
   * normalised.
   */
  IMMICH
}
