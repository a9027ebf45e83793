package multimodal.encoder.grpc;

import multimodal.encoder.inference.EmbeddingModel;
import multimodal.v1.Modality;
import multimodal.v1.ModelInfo;

/** A served model as the ListModels answer's {@code ModelInfo}. */
public final class ModelInfos {
  private ModelInfos() {}

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
