package multimodal.encoder.proto;

import multimodal.encoder.Embedding;

/**
 * The encoder's {@link Embedding} as the contract's {@code multimodal.v1.Embedding}. Shared by the
 * gRPC answers and the Kafka events, so it lives beside neither layer.
 */
public final class EmbeddingProtos {
  private EmbeddingProtos() {}

  public static multimodal.v1.Embedding toProto(Embedding embedding) {
    multimodal.v1.Embedding.Builder proto =
        multimodal.v1.Embedding.newBuilder()
            .setModelName(embedding.modelName())
            .setModelVersion(embedding.modelVersion())
            .setDimension(embedding.dimension());
    for (float value : embedding.values()) {
      proto.addValues(value);
    }
    return proto.build();
  }
}
