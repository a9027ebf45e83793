package multimodal.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;

/**
 * Parses a serialised {@link ModelProto} the way large exported models need.
 *
 * <p>{@code ModelProto.parseFrom} alone would copy every initializer's {@code raw_data} (hundreds
 * of MB in a real decoder) and stop at protobuf's default nesting limit of 100 messages. Here the
 * bytes fields alias the input instead (a memory-mapped file stays off the heap), the size limit is
 * the protobuf maximum of 2 GiB - 1 (a larger model cannot be one protobuf message; ONNX then uses
 * external data files), and the nesting limit is {@value #RECURSION_LIMIT}: every level of subgraph
 * ({@code If} branch, {@code Loop}/{@code Scan} body) costs three (node, attribute, graph).
 */
public final class OnnxModels {
  /** Enough for about 330 levels of nested subgraphs; real exports nest one or two. */
  public static final int RECURSION_LIMIT = 1000;

  private OnnxModels() {}

  /**
   * Parses {@code bytes}; the result's bytes fields share {@code bytes}' memory, so {@code bytes}
   * must stay valid (and unchanged) while the result is used.
   *
   * @throws IllegalArgumentException when {@code bytes} is not a {@code ModelProto}
   */
  public static ModelProto parse(ByteString bytes) {
    try {
      CodedInputStream in = bytes.newCodedInput();
      in.enableAliasing(true);
      in.setSizeLimit(Integer.MAX_VALUE);
      in.setRecursionLimit(RECURSION_LIMIT);
      ModelProto model = ModelProto.parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
      in.checkLastTagWas(0);
      return model;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException(e); // reading from memory: cannot happen
    }
  }
}
