package multimodal.encoder.grpc;

import multimodal.encoder.Embedding;
import multimodal.encoder.inference.EmbeddingModel;
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

  public static ModelInfo toProto(EmbeddingModel model, boolean isDefault) {
    ModelInfo.Builder info =
        ModelInfo.newBuilder()
            .setName(model.name())
            .setVersion(model.version())
            .setDimension(model.dimension())
            .addModalities(Modality.MODALITY_TEXT)
            .setFixture(model.fixture())
            .setIsDefault(isDefault);
    if (model.embedsImages()) {
      info.addModalities(Modality.MODALITY_IMAGE);
    }
    return info.build();
  }
}
