package multimodal.retrieval;

import io.smallrye.config.WithDefault;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import multimodal.retrieval.config.RetrievalConfig;

/**
 * A {@link RetrievalConfig} for plain unit tests: every value is the mapping's own
 * {@code @WithDefault}, except the overrides (keyed "group.method", e.g. "shard.peers").
 */
public final class TestConfigs {
  private TestConfigs() {}

  public static RetrievalConfig config(Map<String, Object> overrides) {
    return proxy(RetrievalConfig.class, "", overrides);
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, String prefix, Map<String, Object> overrides) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString")
                    ? "TestConfig"
                    : method.invoke(overrides, args);
              }
              String key = prefix + method.getName();
              if (overrides.containsKey(key)) {
                Object v = overrides.get(key);
                return method.getReturnType() == Optional.class ? Optional.of(v) : v;
              }
              return value(method, key, overrides);
            });
  }

  private static Object value(Method method, String key, Map<String, Object> overrides) {
    Class<?> type = method.getReturnType();
    WithDefault d = method.getAnnotation(WithDefault.class);
    if (d == null) {
      if (type == Optional.class) {
        return Optional.empty();
      }
      if (type == Map.class) {
        return Map.of();
      }
      if (type == List.class) {
        return List.of();
      }
      return proxy(type, key + ".", overrides);
    }
    String v = d.value();
    if (type == String.class) {
      return v;
    }
    if (type == int.class) {
      return Integer.parseInt(v);
    }
    if (type == boolean.class) {
      return Boolean.parseBoolean(v);
    }
    if (type == double.class) {
      return Double.parseDouble(v);
    }
    if (type == Duration.class) {
      return Duration.parse("PT" + v.toUpperCase(java.util.Locale.ROOT));
    }
    throw new IllegalStateException("no test value for " + key + " of " + type);
  }
}
