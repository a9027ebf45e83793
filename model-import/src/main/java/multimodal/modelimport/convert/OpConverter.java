package multimodal.modelimport.convert;

import multimodal.modelimport.tfjs.TfNode;

/**
 * Emits the ONNX nodes for one TensorFlow op and returns its outputs in TensorFlow's output order.
 */
@FunctionalInterface
interface OpConverter {
  Value[] convert(TfNode node, Conversion c);
}
