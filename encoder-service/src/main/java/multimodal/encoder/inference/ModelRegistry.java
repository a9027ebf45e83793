package multimodal.encoder.inference;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import multimodal.encoder.UnknownModelException;

/** The models this replica serves, by name, and which one a request without a name gets. */
public final class ModelRegistry implements AutoCloseable {
  private final String defaultModel;
  private final Map<String, EmbeddingModel> models;

  public ModelRegistry(String defaultModel, Map<String, EmbeddingModel> models) {
    if (!models.containsKey(defaultModel)) {
      throw new ModelLoadException(
          "default model '" + defaultModel + "' is not configured; configured: " + models.keySet());
    }
    this.defaultModel = defaultModel;
    this.models = new LinkedHashMap<>(models);
  }

  /** The named model, or the default one when {@code name} is null or blank. */
  public EmbeddingModel resolve(String name) {
    if (name == null || name.isBlank()) {
      return models.get(defaultModel);
    }
    EmbeddingModel model = models.get(name);
    if (model == null) {
      throw new UnknownModelException(name, models.keySet());
    }
    return model;
  }

  public String defaultModel() {
    return defaultModel;
  }

  public Collection<EmbeddingModel> models() {
    return models.values();
  }

  @Override
  public void close() throws Exception {
    for (EmbeddingModel model : models.values()) {
      model.close();
    }
  }
}
