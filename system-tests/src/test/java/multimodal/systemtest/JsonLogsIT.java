package multimodal.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the env var the Kubernetes ConfigMap sets (QUARKUS_LOG_CONSOLE_JSON_ENABLED=true), a
 * packaged service writes one JSON object per line, startup to shutdown. retrieval-service stands
 * for the four (each has quarkus-logging-json and the same setting); it runs without Kafka here
 * ({@code retrieval.consumer.enabled=false}), which is all its log needs.
 */
class JsonLogsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the java launcher itself prints to stderr before the service's logging exists (so not
   * JSON, in a cluster too): the options it picked up, and that an incubator module is in use.
   */
  private static final List<String> LAUNCHER_NOTES =
      List.of("NOTE: Picked up JDK_JAVA_OPTIONS: ", "WARNING: Using incubator modules: ");

  @Test
  void everyLogLineIsAJsonObject(@TempDir Path work) throws Exception {
    Path logs = RunningPlatform.LOGS.resolve("json-logs");
    Path log = logs.resolve(RunningPlatform.RETRIEVAL + ".log");
    ServiceProcess service =
        ServiceProcess.start(
            RunningPlatform.ROOT,
            RunningPlatform.RETRIEVAL,
            ServiceProcess.freePort(),
            List.of(),
            Map.of(
                "retrieval.consumer.enabled",
                "false",
                "retrieval.index.dir",
                work.resolve("index").toString()),
            Map.of(
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED",
                "true",
                // as k8s/base/retrieval-service.yaml runs it
                "JDK_JAVA_OPTIONS",
                "--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED",
                RunningPlatform.INTERNAL_AUTH_KEY_ENV,
                "json-logs-test-key-of-at-least-32-bytes-long"),
            logs);
    try {
      await("retrieval-service ready")
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(500))
          .until(service::ready);
    } finally {
      service.close(); // the shutdown lines are part of the log too
    }

    List<String> lines =
        Files.readAllLines(log).stream()
            .filter(l -> !l.isBlank())
            .filter(l -> LAUNCHER_NOTES.stream().noneMatch(l::startsWith))
            .toList();
    assertThat(lines).hasSizeGreaterThan(3);
    List<JsonNode> records = new ArrayList<>();
    for (String line : lines) {
      JsonNode record = JSON.readTree(line);
      assertThat(record.isObject()).as(line).isTrue();
      assertThat(record.path("level").asText()).as(line).isNotBlank();
      assertThat(record.path("loggerName").asText()).as(line).isNotBlank();
      records.add(record);
    }
    assertThat(records)
        .extracting(r -> r.path("message").asText())
        .anyMatch(m -> m.contains("started in"))
        .anyMatch(m -> m.contains("stopped in"));
  }
}
