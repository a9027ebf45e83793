package multimodal.devkit.pods;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks every env var a Deployment gives a service against the configuration keys that service
 * understands ({@link ServiceConfigKeys}). Quarkus ignores an env var that names no key, so without
 * this a misspelt or renamed key in a manifest would deploy and silently keep the default.
 */
public final class EnvironmentCheck {
  /** Read by the JVM itself, not by the application's configuration. */
  private static final Set<String> JVM_VARIABLES = Set.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");

  private final Path root;
  private final Map<String, ServiceConfigKeys> catalogs = new HashMap<>();

  /** {@code root}: the repository, whose {@code <service>/target/quarkus-app} builds are read. */
  public EnvironmentCheck(Path root) {
    this.root = root;
  }

  /**
   * The problems with the manifests' env vars, one line each; empty when every env var of every
   * service container configures something. Containers that are not one of this repository's
   * Quarkus services (the Kafka broker) are left out.
   */
  public List<String> problems(PlatformManifests manifests) {
    List<String> problems = new ArrayList<>();
    for (PlatformManifests.Container container : manifests.containers()) {
      Path app = root.resolve(container.name()).resolve("target/quarkus-app");
      if (!Files.isDirectory(root.resolve(container.name()).resolve("src/main/resources"))) {
        continue;
      }
      ServiceConfigKeys keys =
          catalogs.computeIfAbsent(container.name(), name -> ServiceConfigKeys.of(name, app));
      for (String env : container.envNames()) {
        if (!JVM_VARIABLES.contains(env)) {
          keys.problemWith(env)
              .ifPresent(p -> problems.add("Deployment " + container.deployment() + ": " + p));
        }
      }
    }
    return problems;
  }
}
