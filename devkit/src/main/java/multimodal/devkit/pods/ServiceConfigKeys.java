package multimodal.devkit.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The configuration keys one packaged Quarkus service understands, read from its build output
 * ({@code target/quarkus-app}), so that a deployment's environment variables can be checked before
 * anything runs: an env var that names no key is silently ignored by Quarkus, which is how a typo
 * in a manifest ships.
 *
 * <p>Three sources, all produced by the build itself: the config model every Quarkus extension jar
 * carries ({@code META-INF/quarkus-config-doc/quarkus-config-model.json}, with each key's env var
 * name and phase), the service's own {@code @ConfigMapping} interfaces (through SmallRye Config's
 * {@code ConfigMappings}, loaded from the service's jars), and the keys its {@code
 * application.properties} sets (connector keys such as {@code kafka.bootstrap.servers}). A service
 * with Kafka's client in its build also takes every Kafka client setting as {@code kafka.<name>}
 * (Quarkus hands all {@code kafka.*} keys, {@code KAFKA_*} env vars included, to every SmallRye
 * channel, and retrieval-service to its own clients): those are the names Kafka's consumer,
 * producer and admin client define.
 */
public final class ServiceConfigKeys {
  private static final String CONFIG_MODEL =
      "META-INF/quarkus-config-doc/quarkus-config-model.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One known key: its dotted name (wildcards as {@code *} or {@code "name"}) and whether it is
   * read at run time.
   */
  record Key(String property, boolean runTime, Pattern envPattern) {}

  private final String service;
  private final List<Key> keys;

  private ServiceConfigKeys(String service, List<Key> keys) {
    this.service = service;
    this.keys = List.copyOf(keys);
  }

  /**
   * Reads the keys of the service packaged in {@code quarkusApp} (a fast-jar {@code quarkus-app}
   * directory).
   */
  public static ServiceConfigKeys of(String service, Path quarkusApp) {
    if (!Files.isDirectory(quarkusApp.resolve("lib/main"))) {
      throw new IllegalArgumentException(
          quarkusApp
              + " is not a Quarkus fast-jar build of "
              + service
              + " (run ./mvnw package first)");
    }
    List<Key> keys = new ArrayList<>();
    List<Path> jars = jars(quarkusApp);
    for (Path jar : jars) {
      extensionKeys(jar, keys);
    }
    if (jars.stream().anyMatch(j -> j.getFileName().toString().contains("kafka-clients"))) {
      kafkaClientKeys(keys);
    }
    for (Path appJar : jarsIn(quarkusApp.resolve("app"))) {
      applicationPropertiesKeys(appJar, keys);
      mappingKeys(appJar, jars, keys);
    }
    return new ServiceConfigKeys(service, keys);
  }

  int size() {
    return keys.size();
  }

  /**
   * Why {@code envName} does not configure this service, or empty when it sets a run-time key. A
   * build-time key set at run time is a problem too: Quarkus keeps the value it was built with.
   */
  public Optional<String> problemWith(String envName) {
    List<Key> matches =
        keys.stream().filter(k -> k.envPattern().matcher(envName).matches()).toList();
    if (matches.isEmpty()) {
      return Optional.of(envName + " names no configuration key of " + service);
    }
    if (matches.stream().noneMatch(Key::runTime)) {
      return Optional.of(
          envName
              + " sets "
              + matches.get(0).property()
              + ", which "
              + service
              + " fixes at build time: setting it at run time has no effect");
    }
    return Optional.empty();
  }

  /**
   * The env var form of a key as SmallRye Config maps it: upper case, every other character an
   * underscore; a map key ({@code *} or a quoted placeholder) matches any name, a list index
   * digits.
   */
  static Pattern envPattern(String property) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < property.length()) {
      char c = property.charAt(i);
      if (c == '"') {
        int end = property.indexOf('"', i + 1);
        regex.append("[A-Z0-9_]+?");
        i = end < 0 ? property.length() : end + 1;
      } else if (property.startsWith("[*]", i)) {
        regex.append("_[0-9]+_");
        i += 3;
      } else if (c == '*') {
        regex.append("[A-Z0-9_]+?");
        i++;
      } else {
        regex.append(Character.isLetterOrDigit(c) ? String.valueOf(Character.toUpperCase(c)) : "_");
        i++;
      }
    }
    return Pattern.compile(regex.toString());
  }

  private static void extensionKeys(Path jar, List<Key> keys) {
    try (JarFile file = new JarFile(jar.toFile())) {
      JarEntry model = file.getJarEntry(CONFIG_MODEL);
      if (model == null) {
        return;
      }
      try (InputStream in = file.getInputStream(model)) {
        collectModelKeys(JSON.readTree(in), keys);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the config model of " + jar, e);
    }
  }

  /** Walks the config model: every node with a {@code path.property} is a key, with its phase. */
  private static void collectModelKeys(JsonNode node, List<Key> keys) {
    if (node.isObject()) {
      JsonNode property = node.path("path").path("property");
      if (property.isTextual()) {
        String phase = node.path("phase").asText("RUN_TIME");
        boolean runTime = phase.equals("RUN_TIME");
        keys.add(new Key(property.asText(), runTime, envPattern(property.asText())));
        for (JsonNode extra : node.path("additionalPaths")) {
          String alias = extra.path("property").asText(null);
          if (alias != null) {
            keys.add(new Key(alias, runTime, envPattern(alias)));
          }
        }
      }
      node.forEach(child -> collectModelKeys(child, keys));
    } else if (node.isArray()) {
      node.forEach(child -> collectModelKeys(child, keys));
    }
  }

  /** {@code kafka.<name>} for every setting of Kafka's consumer, producer and admin client. */
  private static void kafkaClientKeys(List<Key> keys) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    names.addAll(ConsumerConfig.configNames());
    names.addAll(ProducerConfig.configNames());
    names.addAll(AdminClientConfig.configNames());
    for (String name : names) {
      keys.add(new Key("kafka." + name, true, envPattern("kafka." + name)));
    }
  }

  private static void applicationPropertiesKeys(Path appJar, List<Key> keys) {
    try (JarFile file = new JarFile(appJar.toFile())) {
      JarEntry entry = file.getJarEntry("application.properties");
      if (entry == null) {
        return;
      }
      Properties properties = new Properties();
      try (InputStream in = file.getInputStream(entry)) {
        properties.load(in);
      }
      for (String name : properties.stringPropertyNames()) {
        // "%test.x" and "%dev,local.x": the key without its profile.
        String key =
            name.startsWith("%") && name.indexOf('.') > 0
                ? name.substring(name.indexOf('.') + 1)
                : name;
        keys.add(new Key(key, true, envPattern(key)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read application.properties of " + appJar, e);
    }
  }

  /**
   * The service's {@code @ConfigMapping} interfaces, expanded to their property names by SmallRye
   * Config itself.
   */
  private static void mappingKeys(Path appJar, List<Path> classpath, List<Key> keys) {
    try (URLClassLoader loader =
            new URLClassLoader(urls(classpath), ClassLoader.getPlatformClassLoader());
        JarFile file = new JarFile(appJar.toFile())) {
      @SuppressWarnings("unchecked")
      Class<? extends Annotation> configMapping =
          (Class<? extends Annotation>) loader.loadClass("io.smallrye.config.ConfigMapping");
      Class<?> configClass = loader.loadClass("io.smallrye.config.ConfigMappings$ConfigClass");
      Method of = configClass.getMethod("configClass", Class.class, String.class);
      Method properties =
          loader
              .loadClass("io.smallrye.config.ConfigMappings")
              .getMethod("getProperties", configClass);
      for (String className : classNames(file)) {
        Class<?> type;
        try {
          type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          continue; // a class that needs what only the running application provides; mappings do
          // not
        }
        Annotation mapping = type.getAnnotation(configMapping);
        if (mapping == null) {
          continue;
        }
        String prefix = (String) configMapping.getMethod("prefix").invoke(mapping);
        Map<?, ?> names = (Map<?, ?>) properties.invoke(null, of.invoke(null, type, prefix));
        for (Object name : names.keySet()) {
          keys.add(new Key(name.toString(), true, envPattern(name.toString())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + appJar, e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the @ConfigMapping interfaces of " + appJar, e);
    }
  }

  private static List<String> classNames(JarFile file) {
    return file.stream()
        .map(JarEntry::getName)
        .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.startsWith("META-INF/"))
        .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
        .toList();
  }

  private static List<Path> jars(Path quarkusApp) {
    List<Path> jars = new ArrayList<>();
    for (String dir : List.of("lib/boot", "lib/main", "app")) {
      jars.addAll(jarsIn(quarkusApp.resolve(dir)));
    }
    return jars;
  }

  private static List<Path> jarsIn(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static URL[] urls(List<Path> jars) {
    return jars.stream()
        .map(
            p -> {
              try {
                return p.toUri().toURL();
              } catch (MalformedURLException e) {
                throw new IllegalArgumentException(p.toString(), e);
              }
            })
        .toArray(URL[]::new);
  }
}
