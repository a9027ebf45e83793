package multimodal.gateway.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import multimodal.gateway.grpc.FakeRetrievalService;
import multimodal.gateway.rest.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI end to end in headless Chromium (Debian's chromium and chromedriver, driven over
 * WebDriver), against the gateway with fake backends: upload by file chooser and by drag and drop
 * with progress and pipeline status, search with thumbnails, scores, captions and matched sources,
 * more like this, classify, caption, a streamed answer and a question over two images; object
 * chips, boxes over the detail image, blurred unsafe thumbnails, the safe-search toggle and "demo
 * model" badges. Screenshots go to target/browser-screenshots/.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class WebUiBrowserTest {
  private static final Path HORSE =
      Path.of("../testdata/images/horse.png").toAbsolutePath().normalize();
  private static final Path COFFEE =
      Path.of("../testdata/images/coffee.png").toAbsolutePath().normalize();

  @FakeBackendsTestResource.InjectFake FakeRetrievalService retrieval;

  private WebDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void startBrowser(@TempDir Path profile) throws IOException {
    if (!HeadlessChromium.installed() && System.getenv("CI") == null) {
      Assumptions.abort(
          "Debian packages chromium and chromium-driver are not installed (apt-get install chromium"
              + " chromium-driver)");
    }
    assertThat(HeadlessChromium.installed())
        .as(
            "chromium and chromedriver (Debian packages chromium, chromium-driver) must be"
                + " installed in CI")
        .isTrue();
    browser = HeadlessChromium.start(profile);
    // A search re-renders the grid, so an element read while it happens can go stale: look again.
    wait =
        (WebDriverWait)
            new WebDriverWait(browser, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class);
  }

  @AfterEach
  void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void uploadSearchClassifyCaptionAndAskInTheBrowser() throws IOException {
    openWithKey(TestKeys.DEFAULT);

    // Upload one file with the chooser and one by dropping it on the drop zone.
    browser.findElement(By.id("file-input")).sendKeys(COFFEE.toString());
    dropFile(HORSE);
    wait.until(
        d ->
            uploads().size() == 2
                && uploads().stream().allMatch(li -> li.getAttribute("data-media-id") != null));
    for (WebElement item : uploads()) {
      assertThat(item.findElement(By.tagName("progress")).getAttribute("value")).isEqualTo("100");
      retrieval.index("default", item.getAttribute("data-media-id")); // the pipeline "indexes" it
    }
    wait.until(
        d -> uploads().stream().allMatch(li -> "captioned".equals(li.getAttribute("data-state"))));
    assertThat(
            uploads()
                .get(0)
                .findElement(By.cssSelector("[data-stage=embedded]"))
                .getAttribute("class"))
        .isEqualTo("done");
    screenshot("1-uploaded");
    String horseId =
        uploads().stream()
            .filter(li -> li.getText().contains("horse.png"))
            .findFirst()
            .orElseThrow()
            .getAttribute("data-media-id");

    // Search: a grid with thumbnails, scores, captions and matched sources.
    browser.findElement(By.id("query")).sendKeys("horse");
    browser.findElement(By.cssSelector("[data-testid=search-button]")).click();
    wait.until(d -> results().size() >= 3);
    // Thumbnails of the uploaded items (items indexed without an upload have none).
    wait.until(
        d ->
            uploads().stream()
                .allMatch(
                    li ->
                        "true"
                            .equals(
                                card(li.getAttribute("data-media-id"))
                                    .findElement(By.tagName("img"))
                                    .getAttribute("data-loaded"))));
    WebElement horseCard = card(horseId);
    assertThat(horseCard.findElement(By.cssSelector("[data-testid=score]")).getText())
        .isEqualTo("score 0.250");
    assertThat(horseCard.findElement(By.cssSelector("[data-testid=result-caption]")).getText())
        .startsWith("a caption of " + horseId);
    assertThat(horseCard.findElement(By.cssSelector("[data-testid=sources]")).getText())
        .isEqualTo("matched: clip 0.50");
    Number width =
        (Number)
            ((JavascriptExecutor) browser)
                .executeScript(
                    "return arguments[0].naturalWidth", horseCard.findElement(By.tagName("img")));
    assertThat(width.intValue()).isPositive();
    assertThat(retrieval.lastSearch().getText()).isEqualTo("horse");
    assertThat(retrieval.lastSearch().getExplain()).isTrue();
    screenshot("2-search");

    // More like this.
    horseCard.findElement(By.cssSelector("[data-testid=more-like-this]")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("search-info"), "items like " + horseId));
    assertThat(retrieval.lastSearch().getMediaId()).isEqualTo(horseId);

    // Details: classify with my labels, caption, and a streamed answer.
    card(horseId).findElement(By.cssSelector("[data-testid=open]")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("detail-status"), "indexed"));
    browser.findElement(By.id("labels")).sendKeys("a horse, a cat, a rocket");
    browser.findElement(By.cssSelector("#classify-form button")).click();
    wait.until(d -> d.findElements(By.cssSelector("[data-testid=class]")).size() == 3);
    assertThat(browser.findElements(By.cssSelector("[data-testid=class]")).get(0).getText())
        .isEqualTo("a horse \u2014 75.0 %");

    browser.findElement(By.id("caption-button")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("caption"), "an image of " + Files.size(HORSE) + " bytes"));

    browser.findElement(By.id("question")).sendKeys("what colour is it?");
    browser.findElement(By.cssSelector("#ask-form button")).click();
    wait.until(ExpectedConditions.attributeToBe(By.id("answer"), "data-done", "true"));
    assertThat(browser.findElement(By.id("answer")).getText()).startsWith("it is brown");
    assertThat(browser.findElements(By.cssSelector("#answer [data-testid=demo-badge]")))
        .hasSize(1); // the fake generator is a fixture
    assertThat(browser.findElements(By.cssSelector("#caption [data-testid=demo-badge]")))
        .hasSize(1);
    assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
    screenshot("3-detail");

    // A question over two images: the open item, then one added from the results.
    String coffeeId =
        uploads().stream()
            .filter(li -> li.getText().contains("coffee.png"))
            .findFirst()
            .orElseThrow()
            .getAttribute("data-media-id");
    card(coffeeId).findElement(By.cssSelector("[data-testid=add-to-question]")).click();
    assertThat(browser.findElement(By.id("ask-also")).getAttribute("value")).isEqualTo(coffeeId);
    browser.findElement(By.id("question")).clear();
    browser.findElement(By.id("question")).sendKeys("which is brown, the first or the second?");
    browser.findElement(By.cssSelector("#ask-form button")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("answer"),
            "["
                + Files.size(HORSE)
                + " bytes] ["
                + Files.size(COFFEE)
                + " bytes] which is brown, the first or the second?"));
    assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
    screenshot("4-two-images");
  }

  @Test
  void objectChipsBoxesUnsafeBlurAndDemoBadges() throws IOException {
    // Tenant "bulk": its own media ids for the same files, so the vision state set here stays out
    // of the other tests.
    openWithKey(TestKeys.BULK);
    browser.findElement(By.id("file-input")).sendKeys(HORSE.toString());
    wait.until(
        d -> uploads().size() == 1 && uploads().get(0).getAttribute("data-media-id") != null);
    String horseId = uploads().get(0).getAttribute("data-media-id");
    browser.findElement(By.id("file-input")).sendKeys(COFFEE.toString());
    wait.until(
        d -> uploads().size() == 2 && uploads().get(0).getAttribute("data-media-id") != null);
    String coffeeId = uploads().get(0).getAttribute("data-media-id"); // the newest is listed first
    retrieval.index(FakeRetrievalService.INSTANT_TENANT, horseId);
    retrieval.analyse(
        horseId,
        0.01f,
        FakeRetrievalService.object("horse", 0.54f, 0.25f, 0.1f, 0.75f, 0.9f),
        FakeRetrievalService.object("person", 0.31f, 0.05f, 0.5f, 0.2f, 0.95f));
    retrieval.index(FakeRetrievalService.INSTANT_TENANT, coffeeId);
    retrieval.analyse(
        coffeeId,
        0.9f,
        FakeRetrievalService.object(
            "cup", 0.47f, 0.3f, 0.3f, 0.7f, 0.8f)); // "unsafe" for this test

    // Safe search on (the tenant's default): the unsafe item is left out.
    browser.findElement(By.id("query")).sendKeys("things");
    browser.findElement(By.cssSelector("[data-testid=search-button]")).click();
    wait.until(d -> !results().isEmpty());
    assertThat(browser.findElement(By.id("safe-search")).isSelected()).isTrue();
    assertThat(results()).noneMatch(card -> coffeeId.equals(card.getAttribute("data-media-id")));
    assertThat(retrieval.lastSearch().getFilter().getSafe()).isTrue();
    // Chips and the demo badge (the fake CLIP is a fixture and this hit matched through CLIP only).
    WebElement horseCard = card(horseId);
    assertThat(
            horseCard.findElements(By.cssSelector("[data-testid=object-chip]")).stream()
                .map(WebElement::getText))
        .containsExactly("horse 0.54", "person 0.31");
    assertThat(
            horseCard
                .findElement(By.cssSelector("[data-testid=found-by] [data-testid=demo-badge]"))
                .getText())
        .isEqualTo("demo model");
    assertThat(
            horseCard
                .findElement(
                    By.cssSelector("[data-testid=result-caption] [data-testid=demo-badge]"))
                .isDisplayed())
        .isTrue();
    assertThat(
            browser
                .findElement(By.cssSelector("#search-info [data-testid=demo-badge]"))
                .isDisplayed())
        .isTrue();

    // Safe search off: the unsafe thumbnail appears blurred, and a click reveals it.
    browser.findElement(By.id("safe-search")).click();
    wait.until(
        d ->
            results().stream()
                .anyMatch(card -> coffeeId.equals(card.getAttribute("data-media-id"))));
    assertThat(retrieval.lastSearch().getFilter().getSafe()).isFalse();
    WebElement coffeeImage = card(coffeeId).findElement(By.tagName("img"));
    wait.until(d -> "true".equals(coffeeImage.getAttribute("data-loaded")));
    assertThat(coffeeImage.getAttribute("class")).contains("unsafe");
    assertThat(coffeeImage.getCssValue("filter")).startsWith("blur(");
    assertThat(card(horseId).findElement(By.tagName("img")).getAttribute("class"))
        .doesNotContain("unsafe");
    screenshot("5-unsafe-blurred");
    coffeeImage.click();
    assertThat(coffeeImage.getAttribute("class")).doesNotContain("unsafe");
    assertThat(coffeeImage.getCssValue("filter")).isEqualTo("none");

    // A chip searches for its object, filtered by it.
    card(horseId)
        .findElement(By.cssSelector("[data-testid=object-chip][data-label=horse]"))
        .click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("search-info"), "objects \u201chorse\u201d"));
    assertThat(retrieval.lastSearch().getText()).isEqualTo("horse");
    assertThat(retrieval.lastSearch().getFilter().getObjectsList()).containsExactly("horse");
    assertThat(results()).noneMatch(card -> coffeeId.equals(card.getAttribute("data-media-id")));

    // Details: chips, and boxes drawn over the image where the normalised boxes say.
    card(horseId).findElement(By.cssSelector("[data-testid=open]")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("detail-status"), "vision analysed"));
    wait.until(
        d -> "true".equals(d.findElement(By.id("detail-thumb")).getAttribute("data-loaded")));
    assertThat(
            browser
                .findElements(By.cssSelector("#detail-objects [data-testid=object-chip]"))
                .stream()
                .map(WebElement::getText))
        .containsExactly("horse 0.54", "person 0.31");
    List<WebElement> boxes =
        browser.findElements(By.cssSelector("#detail-boxes [data-testid=object-box]"));
    assertThat(boxes).hasSize(2);
    assertThat(browser.findElement(By.id("detail-boxes")).getText())
        .contains("horse 0.54", "person 0.31");
    @SuppressWarnings("unchecked")
    List<Number> placed =
        (List<Number>)
            ((JavascriptExecutor) browser)
                .executeScript(
                    "const img ="
                        + " document.getElementById('detail-thumb').getBoundingClientRect();const"
                        + " box = arguments[0].getBoundingClientRect();return [(box.left -"
                        + " img.left) / img.width, (box.top - img.top) / img.height, (box.right -"
                        + " img.left) / img.width, (box.bottom - img.top) / img.height];",
                    boxes.get(0));
    assertThat(placed.get(0).doubleValue())
        .isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.02));
    assertThat(placed.get(1).doubleValue())
        .isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.02));
    assertThat(placed.get(2).doubleValue())
        .isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.02));
    assertThat(placed.get(3).doubleValue())
        .isCloseTo(0.9, org.assertj.core.data.Offset.offset(0.02));
    assertThat(browser.findElement(By.id("detail-safety")).getText())
        .contains("unsafe 0.01", "neutral 0.99", "nsfwjs-mobilenet-v2-mid");
    assertThat(browser.findElements(By.cssSelector("#detail-status [data-testid=demo-badge]")))
        .hasSize(2); // fixture CLIP and captioner
    Path shot = screenshot("6-vision-detail");
    System.out.println("vision detail screenshot: " + shot.toAbsolutePath());
  }

  /**
   * A video hit plays in its card from its best segment's start: the button names the time, the
   * player's source is the item's content with the start as a media fragment.
   */
  @Test
  void aVideoHitPlaysFromItsBestSegmentsStart(@TempDir Path folder) throws IOException {
    Path webm = folder.resolve("scenes.webm");
    java.nio.file.Files.write(
        webm, multimodal.media.video.TestVideos.webm(2, "coffee.png", "horse.png"));
    openWithKey(TestKeys.BULK);
    browser.findElement(By.id("file-input")).sendKeys(webm.toString());
    wait.until(d -> !uploads().isEmpty() && uploads().get(0).getAttribute("data-media-id") != null);
    String videoId = uploads().get(0).getAttribute("data-media-id");
    retrieval.index(FakeRetrievalService.INSTANT_TENANT, videoId);
    retrieval.video(videoId, 2_000, 4_000);

    browser.findElement(By.id("query")).sendKeys("a horse");
    browser.findElement(By.cssSelector("[data-testid=search-button]")).click();
    wait.until(
        d -> results().stream().anyMatch(c -> videoId.equals(c.getAttribute("data-media-id"))));
    WebElement play = card(videoId).findElement(By.cssSelector("[data-testid=play-video]"));
    assertThat(play.getText()).isEqualTo("Play from 2.0 s");
    assertThat(card(videoId).findElement(By.cssSelector("[data-testid=result-segment]")).getText())
        .isEqualTo("2.0–4.0 s");
    play.click();

    WebElement player =
        wait.until(
            d ->
                card(videoId).findElements(By.cssSelector("[data-testid=video-player]")).stream()
                    .findFirst()
                    .orElse(null));
    assertThat(player.getAttribute("data-start")).isEqualTo("2");
    assertThat(player.getAttribute("src")).startsWith("blob:").endsWith("#t=2.000");
  }

  /**
   * A recording found by its transcript plays in its card: the button from its best segment's
   * start, and a segment's line from that segment's start (an audio player, not a video one).
   */
  @Test
  void anAudioHitPlaysFromItsSegment(@TempDir Path folder) throws IOException {
    Path wav = folder.resolve("tone.wav");
    java.nio.file.Files.write(wav, multimodal.gateway.rest.TestAudio.toneWav(48_000));
    openWithKey(TestKeys.BULK);
    browser.findElement(By.id("file-input")).sendKeys(wav.toString());
    wait.until(d -> !uploads().isEmpty() && uploads().get(0).getAttribute("data-media-id") != null);
    String audioId = uploads().get(0).getAttribute("data-media-id");
    retrieval.index(FakeRetrievalService.INSTANT_TENANT, audioId);
    retrieval.audio(audioId, 1_500, 2_700, "the tone goes on");

    browser.findElement(By.id("query")).sendKeys("tone");
    browser.findElement(By.cssSelector("[data-testid=search-button]")).click();
    wait.until(
        d -> results().stream().anyMatch(c -> audioId.equals(c.getAttribute("data-media-id"))));
    assertThat(card(audioId).findElements(By.cssSelector("[data-testid=play-video]"))).isEmpty();
    WebElement play = card(audioId).findElement(By.cssSelector("[data-testid=play-audio]"));
    assertThat(play.getText()).isEqualTo("Play from 1.5 s");
    WebElement segment = card(audioId).findElement(By.cssSelector("[data-testid=result-segment]"));
    assertThat(segment.getText()).isEqualTo("1.5–2.7 s: “the tone goes on”");
    segment.click();

    WebElement player =
        wait.until(
            d ->
                card(audioId).findElements(By.cssSelector("[data-testid=audio-player]")).stream()
                    .findFirst()
                    .orElse(null));
    assertThat(player.getAttribute("data-start")).isEqualTo("1.5");
    assertThat(player.getAttribute("src")).startsWith("blob:").endsWith("#t=1.500");
    assertThat(card(audioId).findElements(By.cssSelector("[data-testid=video-player]"))).isEmpty();
  }

  @Test
  void generatesCandidatesShowsThemReRankedAndIngestsTheChosenOne() throws IOException {
    openWithKey(TestKeys.DEFAULT);
    browser.findElement(By.id("prompt")).sendKeys("a red square");
    WebElement seed = browser.findElement(By.id("gen-seed"));
    seed.sendKeys("5");
    browser.findElement(By.cssSelector("[data-testid=generate-button]")).click();
    wait.until(ExpectedConditions.attributeToBe(By.id("candidates"), "data-done", "true"));

    // The fake generator makes blue (index 0), then red (index 1); CLIP puts red first.
    List<WebElement> candidates =
        browser.findElements(By.cssSelector("#candidates [data-testid=candidate]"));
    assertThat(candidates).extracting(c -> c.getAttribute("data-index")).containsExactly("1", "0");
    assertThat(candidates.get(0).getText()).startsWith("#1").contains("seed 6");
    assertThat(browser.findElement(By.id("gen-info")).getText()).startsWith("Seed 5");
    screenshot("5-generate");

    candidates.get(0).findElement(By.tagName("button")).click();
    wait.until(
        d ->
            d.findElement(By.cssSelector("#candidates [data-testid=candidate] button"))
                .getText()
                .startsWith("Ingested "));
    assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
  }

  @Test
  void aWrongKeyShowsTheProblem() throws IOException {
    browser.get("http://127.0.0.1:18080/");
    browser.findElement(By.id("api-key")).sendKeys("not-a-key");
    browser.findElement(By.id("query")).sendKeys("horse");
    browser.findElement(By.cssSelector("[data-testid=search-button]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
    assertThat(browser.findElement(By.id("error")).getText())
        .startsWith("Unauthorized: a valid API key is required");
    screenshot("4-unauthorized");
  }

  private void openWithKey(String apiKey) {
    browser.get("http://127.0.0.1:18080/");
    WebElement key = browser.findElement(By.id("api-key"));
    key.sendKeys(apiKey);
    ((JavascriptExecutor) browser)
        .executeScript("arguments[0].dispatchEvent(new Event('change'))", key);
  }

  private List<WebElement> uploads() {
    return browser.findElements(By.cssSelector("#uploads li"));
  }

  private List<WebElement> results() {
    return browser.findElements(By.cssSelector("[data-testid=result]"));
  }

  private WebElement card(String mediaId) {
    return browser.findElement(
        By.cssSelector("[data-testid=result][data-media-id='" + mediaId + "']"));
  }

  /** A real drop event carrying the file, as the browser makes one when a file is dragged in. */
  private void dropFile(Path file) throws IOException {
    String base64 = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    ((JavascriptExecutor) browser)
        .executeScript(
            "const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));const transfer"
                + " = new DataTransfer();transfer.items.add(new File([bytes], arguments[1], {type:"
                + " 'image/png'}));const zone ="
                + " document.getElementById('drop-zone');zone.dispatchEvent(new"
                + " DragEvent('dragover', {dataTransfer: transfer, bubbles: true, cancelable:"
                + " true}));zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer,"
                + " bubbles: true, cancelable: true}));",
            base64,
            file.getFileName().toString());
  }

  private Path screenshot(String name) throws IOException {
    return HeadlessChromium.screenshot(browser, name);
  }
}
