package multimodal.encoder.inference;

/**
 * ONNX Runtime session settings.
 *
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose (all cores)
 * @param interOpThreads threads across independent operators
 */
public record OrtSettings(int intraOpThreads, int interOpThreads) {}
