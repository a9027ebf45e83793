package multimodal.encoder.grpc;

import multimodal.encoder.Embedding;
import multimodal.encoder.inference.ClipModel;
import multimodal.v1.Modality;
import multimodal.v1.ModelInfo;

/** Domain ↔ proto for the encoder's messages. */
public final class EmbeddingMapper {
  private EmbeddingMapper() {}

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

  public static ModelInfo toProto(ClipModel model, boolean isDefault) {
    return ModelInfo.newBuilder()
        .setName(model.name())
        .setVersion(model.version())
        .setDimension(model.dimension())
        .addModalities(Modality.MODALITY_TEXT)
        .addModalities(Modality.MODALITY_IMAGE)
        .setFixture(model.fixture())
        .setIsDefault(isDefault)
        .build();
  }
}
