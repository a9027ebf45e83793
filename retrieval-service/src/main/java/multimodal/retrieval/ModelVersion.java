package multimodal.retrieval;

import java.util.Objects;

/** One set of weights of one model: vectors of different versions never share a vector field. */
public record ModelVersion(String name, String version) {
  public ModelVersion {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
  }

  @Override
  public String toString() {
    return name + "@" + version;
  }
}
