package multimodal.modelimport.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits one manifest group's concatenated shards into named tensors and dequantises them exactly
 * as TF.js's io.decodeWeights does: uint8/uint16 values become q * scale + min (computed in double,
 * stored as float32), float16 values are widened.
 */
public final class WeightsDecoder {

  private WeightsDecoder() {}

  public static Map<String, TfTensor> decodeGroup(JsonNode weightSpecs, byte[] data) {
    ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    Map<String, TfTensor> out = new LinkedHashMap<>();
    for (JsonNode spec : weightSpecs) {
      String name = spec.path("name").asText();
      long[] shape = new long[spec.path("shape").size()];
      for (int k = 0; k < shape.length; k++) shape[k] = spec.path("shape").get(k).asLong();
      TfDType dtype = TfDType.parse(spec.path("dtype").asText());
      int n = Math.toIntExact(TfTensor.numElements(shape));
      JsonNode q = spec.path("quantization");
      try {
        out.put(
            name,
            q.isMissingNode()
                ? readPlain(buf, dtype, shape, n)
                : readQuantised(buf, q, dtype, shape, n));
      } catch (java.nio.BufferUnderflowException e) {
        throw new IllegalArgumentException("weight data ends before weight '" + name + "'", e);
      }
    }
    if (buf.hasRemaining()) {
      throw new IllegalArgumentException(
          buf.remaining() + " bytes of weight data left over after the manifest's weights");
    }
    return out;
  }

  private static TfTensor readPlain(ByteBuffer buf, TfDType dtype, long[] shape, int n) {
    if (dtype == TfDType.FLOAT) {
      float[] f = new float[n];
      buf.asFloatBuffer().get(f);
      buf.position(buf.position() + 4 * n);
      return TfTensor.ofFloats(shape, f);
    }
    long[] l = new long[n];
    for (int i = 0; i < n; i++) {
      l[i] =
          switch (dtype) {
            case INT32 -> buf.getInt();
            case INT64 -> buf.getLong();
            case BOOL -> buf.get();
            default -> throw new IllegalStateException();
          };
    }
    return TfTensor.ofLongs(dtype, shape, l);
  }

  private static TfTensor readQuantised(
      ByteBuffer buf, JsonNode q, TfDType dtype, long[] shape, int n) {
    String qType = q.path("dtype").asText();
    if (qType.equals("float16")) {
      if (dtype != TfDType.FLOAT)
        throw new IllegalArgumentException("float16 quantisation of " + dtype);
      float[] f = new float[n];
      for (int i = 0; i < n; i++) f[i] = Float.float16ToFloat(buf.getShort());
      return TfTensor.ofFloats(shape, f);
    }
    double scale = q.path("scale").asDouble();
    double min = q.path("min").asDouble();
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      int raw =
          switch (qType) {
            case "uint8" -> Byte.toUnsignedInt(buf.get());
            case "uint16" -> Short.toUnsignedInt(buf.getShort());
            default ->
                throw new IllegalArgumentException("unsupported quantisation dtype " + qType);
          };
      values[i] = raw * scale + min;
    }
    if (dtype == TfDType.FLOAT) {
      float[] f = new float[n];
      for (int i = 0; i < n; i++) f[i] = (float) values[i];
      return TfTensor.ofFloats(shape, f);
    }
    long[] l = new long[n];
    for (int i = 0; i < n; i++) l[i] = Math.round(values[i]);
    return TfTensor.ofLongs(dtype, shape, l);
  }
}
