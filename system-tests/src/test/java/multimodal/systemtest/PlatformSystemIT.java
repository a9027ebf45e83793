package multimodal.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import multimodal.v1.MediaVisionEvent;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The walking skeleton as production runs it: a real KRaft broker, the four packaged services as
 * separate JVM processes talking Kafka and gRPC, images in through the gateway's REST API and
 * through plain Kafka clients, and search out through the gateway.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformSystemIT {
  private static final Path ROOT = RunningPlatform.ROOT;
  private static final Path LOGS = RunningPlatform.LOGS;
  private static final Path IMAGES = ROOT.resolve("testdata/images");
  private static final String API_KEY = "system-test-key";

  private static RunningPlatform platform;
  private static TraceReceiver traces;
  private static final List<ServiceProcess> services = new ArrayList<>();
  private static ServiceProcess gateway;
  private static PlatformClient client;
  private static final Map<String, String> uploadedIds = new LinkedHashMap<>();

  @BeforeAll
  static void startPlatform() throws Exception {
    // Tracing on, as in a cluster: every service exports its spans to the receiver here.
    traces = TraceReceiver.start();
    Map<String, Map<String, String>> tracing = new HashMap<>();
    for (String module :
        List.of(
            RunningPlatform.ENCODER,
            RunningPlatform.GENERATOR,
            RunningPlatform.RETRIEVAL,
            RunningPlatform.GATEWAY)) {
      tracing.put(module, traces.serviceProperties());
    }
    platform =
        RunningPlatform.start(
            List.of(new RunningPlatform.ApiKey("system", API_KEY, IngestEvent.DEFAULT_TENANT)),
            tracing,
            LOGS);
    services.addAll(platform.services());
    gateway = platform.gateway();
    client = new PlatformClient(gateway.baseUrl(), API_KEY, platform.kafkaBootstrap());
  }

  @AfterAll
  static void stopPlatform() throws InterruptedException {
    if (platform != null) {
      platform.close();
    }
    if (traces != null) {
      traces.close();
    }
  }

  @Test
  @Order(1)
  void everyUploadedImageIsFoundBySearch() throws Exception {
    uploadedIds.putAll(PipelineChecks.everyUploadedImageIsFoundBySearch(client, IMAGES));
  }

  @Test
  @Order(2)
  void poisonRecordsGoToTheDeadLetterTopicWhileGoodOnesAreProcessed() throws Exception {
    PipelineChecks.poisonRecordsGoToTheDeadLetterTopicWhileGoodOnesAreProcessed(client);
  }

  @Test
  @Order(3)
  void bulkIngestCliSendsAFolderAndFollowsThePipeline(@TempDir Path folder) throws Exception {
    Map<String, Color> colours =
        Map.of("cli-green.png", new Color(20, 200, 40), "cli-blue.png", new Color(30, 40, 220));
    for (Map.Entry<String, Color> e : colours.entrySet()) {
      Files.write(folder.resolve(e.getKey()), PlatformClient.solidPng(e.getValue()));
    }
    Path log = LOGS.resolve("bulk-ingest.log");
    ProcessBuilder command =
        new ProcessBuilder(
                ROOT.resolve("gateway/bin/bulk-ingest").toString(),
                "--gateway",
                gateway.baseUrl(),
                "--state",
                LOGS.resolve("bulk-ingest-" + UUID.randomUUID() + ".json").toString(),
                "--until",
                "captioned",
                "--timeout",
                "PT2M",
                folder.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    command.environment().put("MULTIMODAL_API_KEY", API_KEY);
    Process cli = command.start();
    assertThat(cli.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    String output = Files.readString(log);
    assertThat(cli.exitValue()).as(output).isZero();
    assertThat(output).containsIgnoringCase("captioned");
    assertThat(client.searchIds("something green", 50)).isNotEmpty();
  }

  @Test
  @Order(4)
  void webUiUploadsSearchesAndClassifiesOnTheRealPipeline(@TempDir Path profile) throws Exception {
    assertThat(HeadlessBrowser.installed())
        .as("Debian chromium and chromium-driver must be installed")
        .isTrue();
    WebDriver browser = HeadlessBrowser.start(profile);
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
      openUi(browser);

      browser.findElement(By.id("file-input")).sendKeys(IMAGES.resolve("coffee.png").toString());
      wait.until(
          d -> {
            List<WebElement> items = d.findElements(By.cssSelector("#uploads li"));
            return !items.isEmpty()
                && items.get(0).findElements(By.cssSelector("[data-stage=embedded].done")).size()
                    == 1;
          });
      String mediaId =
          browser.findElement(By.cssSelector("#uploads li")).getAttribute("data-media-id");
      HeadlessBrowser.screenshot(browser, "platform-1-uploaded");

      browser.findElement(By.id("query")).sendKeys("something red");
      browser.findElement(By.cssSelector("[data-testid=search-button]")).click();
      String result = "[data-testid=result][data-media-id='" + mediaId + "']";
      wait.until(d -> !d.findElements(By.cssSelector(result)).isEmpty());
      WebElement card = browser.findElement(By.cssSelector(result));
      wait.until(
          d -> "true".equals(card.findElement(By.tagName("img")).getAttribute("data-loaded")));
      assertThat(card.findElement(By.cssSelector("[data-testid=score]")).getText())
          .startsWith("score ");
      HeadlessBrowser.screenshot(browser, "platform-2-search");

      card.findElement(By.cssSelector("[data-testid=more-like-this]")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("search-info"), "items like " + mediaId));
      browser.findElement(By.cssSelector(result + " [data-testid=open]")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.id("detail-status"), "indexed"));
      browser.findElement(By.id("caption-button")).click();
      wait.until(
          d -> {
            String caption = d.findElement(By.id("caption")).getText();
            return !caption.isBlank() && !caption.equals("\u2026");
          });
      browser.findElement(By.id("question")).sendKeys("What colour is it?");
      browser.findElement(By.cssSelector("#ask-form button")).click();
      wait.until(ExpectedConditions.attributeToBe(By.id("answer"), "data-done", "true"));
      assertThat(browser.findElement(By.id("answer")).getText()).isNotBlank();
      WebElement error = browser.findElement(By.id("error"));
      assertThat(error.isDisplayed()).as(error.getText()).isFalse();
      HeadlessBrowser.screenshot(browser, "platform-3-detail");
    } finally {
      browser.quit();
    }
  }

  @Test
  @Order(5)
  void everyServiceAnswersGrpcHealthAndReflection() throws Exception {
    for (ServiceProcess service : services) {
      PlatformClient.assertGrpcHealthAndReflection(
          service.name(),
          service.port(),
          ServiceTokens.bearerFor(service.name(), platform.internalAuthKey()));
    }
  }

  @Test
  @Order(6)
  void realObjectTagsRankThePhotographsThatShowTheObjectFirst() throws Exception {
    Map<String, String> idOf = new HashMap<>();
    uploadedIds.forEach((id, file) -> idOf.put(file, id));
    await("the real detector and safety model analysed all ten photographs")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              for (String id : uploadedIds.keySet()) {
                assertThat(client.status(id).path("vision").asText())
                    .as(uploadedIds.get(id))
                    .isEqualTo("analysed");
              }
            });
    for (String id : uploadedIds.keySet()) {
      JsonNode status = client.status(id);
      System.out.printf(
          "%-22s objects %s safety %s%n",
          uploadedIds.get(id), status.path("objects"), status.path("safety"));
      assertThat(status.path("detector").path("fixture").asBoolean(true)).isFalse();
    }
    assertThat(labels(client.status(idOf.get("horse.png")))).contains("horse");
    assertThat(labels(client.status(idOf.get("coffee.png")))).contains("cup");

    // The local run's CLIP is a colour/shape fixture that knows no horses or cups: these rankings
    // come from the real detector's tags, indexed for BM25 and the sentence vectors.
    assertThat(client.searchIds("horse", 10).get(0)).isEqualTo(idOf.get("horse.png"));
    assertThat(client.searchIds("cup", 10).get(0)).isEqualTo(idOf.get("coffee.png"));
    assertThat(client.searchIds("person", 10).get(0))
        .isIn(idOf.get("astronaut.png"), idOf.get("camera.png"));
    JsonNode horse = client.search("horse", 10).path("hits").get(0);
    assertThat(horse.path("objects").findValuesAsText("label")).contains("horse");
    // The object filter keeps exactly the items with that label.
    HttpResponse<String> cups =
        client.get(
            "/v1/search?q="
                + URLEncoder.encode("a photo", StandardCharsets.UTF_8)
                + "&k=20&object=cup");
    assertThat(cups.statusCode()).as(cups.body()).isEqualTo(200);
    assertThat(PlatformClient.JSON.readTree(cups.body()).path("hits").findValuesAsText("mediaId"))
        .contains(idOf.get("coffee.png"))
        .doesNotContain(idOf.get("horse.png"));
  }

  @Test
  @Order(7)
  void safeSearchLeavesOutTheItemAboveTheThreshold() throws Exception {
    // The shared photographs are all safe (neutral or drawing): the filter is shown with a
    // threshold
    // between the highest and the second-highest real unsafe score of the ten.
    Map<String, Double> unsafe = new HashMap<>();
    for (String id : uploadedIds.keySet()) {
      JsonNode safety = client.status(id).path("safety");
      assertThat(safety.isObject()).as("safety of %s", uploadedIds.get(id)).isTrue();
      String top = topClass(safety.path("scores"));
      System.out.printf(
          "%-22s safety top class %s, unsafe %.4f%n",
          uploadedIds.get(id), top, safety.path("unsafeScore").asDouble());
      assertThat(top).as(uploadedIds.get(id)).isIn("neutral", "drawing");
      unsafe.put(id, safety.path("unsafeScore").asDouble());
    }
    List<Map.Entry<String, Double>> ranked = new ArrayList<>(unsafe.entrySet());
    ranked.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    String mostUnsafe = ranked.get(0).getKey();
    double threshold = (ranked.get(0).getValue() + ranked.get(1).getValue()) / 2;
    assertThat(threshold).isPositive();

    String query =
        "/v1/search?q="
            + URLEncoder.encode("a photo", StandardCharsets.UTF_8)
            + "&k=50&unsafeThreshold="
            + threshold;
    List<String> safe =
        PlatformClient.JSON
            .readTree(client.get(query).body())
            .path("hits")
            .findValuesAsText("mediaId");
    List<String> all =
        PlatformClient.JSON
            .readTree(client.get(query + "&safe=false").body())
            .path("hits")
            .findValuesAsText("mediaId");
    assertThat(safe)
        .as("safe search is on by default")
        .doesNotContain(mostUnsafe)
        .containsAll(uploadedIds.keySet().stream().filter(id -> !id.equals(mostUnsafe)).toList());
    assertThat(all).contains(mostUnsafe);
  }

  @Test
  @Order(8)
  void theVisionEnrichmentIsPublishedOnItsTopic() throws Exception {
    String horseId =
        uploadedIds.entrySet().stream()
            .filter(e -> e.getValue().equals("horse.png"))
            .findFirst()
            .orElseThrow()
            .getKey();
    MediaVisionEvent event =
        client.topicEvent(Topics.MEDIA_VISION, horseId, MediaVisionEvent::parseFrom);
    assertThat(event.getObjectsList()).extracting(o -> o.getLabel()).contains("horse");
    assertThat(event.getDetector().getFixture()).isFalse();
    assertThat(event.getSafetyList()).extracting(c -> c.getLabel()).contains("neutral", "drawing");
    assertThat(event.getTenant()).isEqualTo(IngestEvent.DEFAULT_TENANT);
  }

  @Test
  @Order(9)
  void webUiShowsTheRealTagsWithTheirBoxes(@TempDir Path profile) throws Exception {
    String horseId =
        uploadedIds.entrySet().stream()
            .filter(e -> e.getValue().equals("horse.png"))
            .findFirst()
            .orElseThrow()
            .getKey();
    WebDriver browser = HeadlessBrowser.start(profile);
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      openUi(browser);
      browser.findElement(By.id("query")).sendKeys("horse");
      browser.findElement(By.cssSelector("[data-testid=search-button]")).click();
      String result = "[data-testid=result][data-media-id='" + horseId + "']";
      wait.until(
          d -> !d.findElements(By.cssSelector(result + " [data-testid=object-chip]")).isEmpty());
      assertThat(browser.findElement(By.cssSelector(result)).getText()).contains("horse");
      browser.findElement(By.cssSelector(result + " [data-testid=open]")).click();
      wait.until(
          d ->
              !d.findElements(By.cssSelector("[data-testid=object-box][data-label=horse]"))
                  .isEmpty());
      assertThat(browser.findElement(By.cssSelector("[data-testid=detail-objects]")).getText())
          .contains("horse");
      HeadlessBrowser.screenshot(browser, "platform-4-real-tags");
    } finally {
      browser.quit();
    }
  }

  /** Opens the web UI and enters the API key. */
  @Test
  @Order(10)
  void oneUploadIsOneTraceAcrossEveryKafkaHop(@TempDir Path folder) throws Exception {
    TraceChecks.oneUploadIsOneTraceAcrossEveryHop(client, traces, folder);
  }

  @Test
  @Order(11)
  void aSearchIsOneTraceOverTheGrpcHops() throws Exception {
    TraceChecks.aSearchIsOneTraceOverTheGrpcHops(client, traces);
  }

  @Test
  @Order(12)
  void theDashboardsAndAlertsReadOnlyExportedMetrics() throws Exception {
    MetricsChecks.everyMonitoredMetricIsExported(platform, LOGS);
  }

  @Test
  @Order(13)
  void aQuestionOverTwoImagesIsAnsweredOverRestAndGrpc() throws Exception {
    InterleavedAskChecks.aTwoImageQuestionIsAnsweredOverRestAndGrpc(client, gateway.port());
  }

  @Test
  @Order(14)
  void aSpokenSentenceIsFoundByTwoOfItsWordsWithItsTimeRange(@TempDir Path folder)
      throws Exception {
    SpeechChecks.aSpokenSentenceIsFoundByTwoOfItsWordsWithItsTimeRange(client, folder);
  }

  @Test
  @Order(15)
  void aSceneOfAVideoIsFoundByWhatItShowsWithItsTimeRange(@TempDir Path folder) throws Exception {
    VideoChecks.aSceneOfAVideoIsFoundByWhatItShowsWithItsTimeRange(client, IMAGES, folder);
  }

  @Test
  @Order(16)
  void aSentenceSpokenInAVideoIsFoundByTwoOfItsWords(@TempDir Path folder) throws Exception {
    SpeechChecks.aSentenceSpokenInAVideoIsFoundByTwoOfItsWords(
        client, IMAGES.resolve("chelsea.png"), folder);
  }

  private static void openUi(WebDriver browser) {
    browser.get(gateway.baseUrl() + "/");
    WebElement key = browser.findElement(By.id("api-key"));
    key.sendKeys(API_KEY);
    ((JavascriptExecutor) browser)
        .executeScript("arguments[0].dispatchEvent(new Event('change'))", key);
  }

  private static List<String> labels(JsonNode status) {
    return status.path("objects").findValuesAsText("label");
  }

  private static String topClass(JsonNode scores) {
    String best = null;
    double bestScore = -1;
    for (Map.Entry<String, JsonNode> e : scores.properties()) {
      if (e.getValue().asDouble() > bestScore) {
        best = e.getKey();
        bestScore = e.getValue().asDouble();
      }
    }
    return best;
  }

  @Test
  @Order(20)
  void aPromptBecomesImagesReRankedByClipOverRestAndGrpc() throws Exception {
    GenerateChecks.aRedSquareIsRedOverRestAndGrpcAndASeedReproducesIt(client, gateway.port());
    GenerateChecks.callerImagesAreReRankedByClip(client);
  }
}
