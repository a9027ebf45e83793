package multimodal.modelimport.convert;

import multimodal.modelimport.tfjs.TfDType;

/**
 * A tensor flowing through the ONNX graph under construction. {@code shape} is always in
 * TensorFlow's logical order (NHWC for images; -1 = unknown dimension; null = unknown rank); {@code
 * nchw} says whether the ONNX tensor physically holds a rank-4 value transposed to NCHW, the layout
 * ONNX's convolution, pooling and resize use.
 */
public record Value(String name, TfDType dtype, long[] shape, boolean nchw) {

  public int rank() {
    return shape == null ? -1 : shape.length;
  }

  public long dim(int i) {
    return shape == null ? -1 : shape[i];
  }

  public Value renamed(String newName, boolean newNchw) {
    return new Value(newName, dtype, shape, newNchw);
  }
}
