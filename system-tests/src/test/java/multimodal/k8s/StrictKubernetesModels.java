package multimodal.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses built-in Kubernetes objects into fabric8's typed models and reports every field the model
 * does not know. fabric8 keeps unknown fields in each object's {@code additionalProperties} map (so
 * that a client never loses data) instead of failing; walking the parsed tree for non-empty maps is
 * what makes the parse strict: a misspelt or misplaced field is reported with its path.
 */
final class StrictKubernetesModels {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);

  /** The built-in kinds the overlays use (or may soon: ServiceAccount). */
  private static final Map<String, Class<?>> MODELS =
      Map.ofEntries(
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("batch/v1/Job", Job.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class));

  private StrictKubernetesModels() {}

  static boolean isBuiltIn(JsonNode object) {
    return MODELS.containsKey(typeOf(object));
  }

  static String typeOf(JsonNode object) {
    return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
  }

  /**
   * The problems of one built-in object: a type without a model, a field the model lacks, a wrong
   * value type.
   */
  static List<String> problems(JsonNode object) {
    Class<?> model = MODELS.get(typeOf(object));
    if (model == null) {
      return List.of(typeOf(object) + " has no typed model here");
    }
    return problems(object, model);
  }

  /**
   * Strict parse of {@code node} into {@code model} (used for the metadata of custom resources
   * too).
   */
  static List<String> problems(JsonNode node, Class<?> model) {
    try {
      Object parsed = JSON.treeToValue(node, model);
      List<String> problems = new ArrayList<>();
      unknownFields(parsed, model.getSimpleName(), problems, new IdentityHashMap<>());
      return problems;
    } catch (Exception e) {
      return List.of(model.getSimpleName() + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  static List<String> metadataProblems(JsonNode object) {
    return problems(object.path("metadata"), ObjectMeta.class);
  }

  private static void unknownFields(
      Object value, String path, List<String> problems, IdentityHashMap<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        unknownFields(item, path + "[" + i++ + "]", problems, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, problems, seen));
      return;
    }
    if (!value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Class<?> type = value.getClass();
        type != null && type != Object.class;
        type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        Object fieldValue = read(field, value);
        if (field.getName().equals("additionalProperties")
            && fieldValue instanceof Map<?, ?> extra) {
          extra
              .keySet()
              .forEach(
                  k ->
                      problems.add(
                          path
                              + "."
                              + k
                              + ": no such field in "
                              + value.getClass().getSimpleName()));
        } else {
          unknownFields(fieldValue, path + "." + field.getName(), problems, seen);
        }
      }
    }
  }

  private static Object read(Field field, Object owner) {
    try {
      return field.get(owner);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
