package multimodal.modelimport.tfjs;

import multimodal.onnx.TensorProto;

/**
 * The TensorFlow element types the importer handles, with their ONNX and weight-file counterparts.
 */
public enum TfDType {
  FLOAT(TensorProto.DataType.FLOAT_VALUE, 4),
  INT32(TensorProto.DataType.INT32_VALUE, 4),
  INT64(TensorProto.DataType.INT64_VALUE, 8),
  BOOL(TensorProto.DataType.BOOL_VALUE, 1);

  public final int onnxType;
  public final int bytes;

  TfDType(int onnxType, int bytes) {
    this.onnxType = onnxType;
    this.bytes = bytes;
  }

  public boolean isFloat() {
    return this == FLOAT;
  }

  /** From a GraphDef attr type ("DT_FLOAT") or a weights-manifest dtype ("float32"). */
  public static TfDType parse(String name) {
    return switch (name) {
      case "DT_FLOAT", "float32" -> FLOAT;
      case "DT_INT32", "int32" -> INT32;
      case "DT_INT64", "int64" -> INT64;
      case "DT_BOOL", "bool" -> BOOL;
      default -> throw new IllegalArgumentException("unsupported TensorFlow dtype " + name);
    };
  }
}
