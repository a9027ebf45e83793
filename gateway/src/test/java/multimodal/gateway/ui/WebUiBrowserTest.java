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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI end to end in headless Chromium (Debian's chromium and chromedriver, driven over
 * WebDriver), against the gateway with fake backends: upload by file chooser and by drag and
 * drop with progress and pipeline status, search with thumbnails, scores, captions and matched
 * sources, more like this, classify, caption and a streamed answer. Screenshots go to
 * target/browser-screenshots/.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class WebUiBrowserTest {
  private static final Path HORSE = Path.of("../testdata/images/horse.png").toAbsolutePath().normalize();
  private static final Path COFFEE = Path.of("../testdata/images/coffee.png").toAbsolutePath().normalize();

  @FakeBackendsTestResource.InjectFake FakeRetrievalService retrieval;

  private WebDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void startBrowser(@TempDir Path profile) throws IOException {
    if (!HeadlessChromium.installed() && System.getenv("CI") == null) {
      Assumptions.abort("Debian packages chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
    }
    assertThat(HeadlessChromium.installed())
        .as("chromium and chromedriver (Debian packages chromium, chromium-driver) must be installed in CI")
        .isTrue();
    browser = HeadlessChromium.start(profile);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterEach
  void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void uploadSearchClassifyCaptionAndAskInTheBrowser() throws IOException {
    browser.get("http://127.0.0.1:18080/");
    WebElement key = browser.findElement(By.id("api-key"));
    key.sendKeys(TestKeys.DEFAULT);
    ((JavascriptExecutor) browser).executeScript("arguments[0].dispatchEvent(new Event('change'))", key);

    // Upload one file with the chooser and one by dropping it on the drop zone.
    browser.findElement(By.id("file-input")).sendKeys(COFFEE.toString());
    dropFile(HORSE);
    wait.until(d -> uploads().size() == 2 && uploads().stream().allMatch(li -> li.getAttribute("data-media-id") != null));
    for (WebElement item : uploads()) {
      assertThat(item.findElement(By.tagName("progress")).getAttribute("value")).isEqualTo("100");
      retrieval.index("default", item.getAttribute("data-media-id")); // the pipeline "indexes" it
    }
    wait.until(d -> uploads().stream().allMatch(li -> "captioned".equals(li.getAttribute("data-state"))));
    assertThat(uploads().get(0).findElement(By.cssSelector("[data-stage=embedded]")).getAttribute("class")).isEqualTo("done");
    screenshot("1-uploaded");
    String horseId =
        uploads().stream().filter(li -> li.getText().contains("horse.png")).findFirst().orElseThrow().getAttribute("data-media-id");

    // Search: a grid with thumbnails, scores, captions and matched sources.
    browser.findElement(By.id("query")).sendKeys("horse");
    browser.findElement(By.cssSelector("[data-testid=search-button]")).click();
    wait.until(d -> results().size() >= 3);
    // Thumbnails of the uploaded items (items indexed without an upload have none).
    wait.until(d -> uploads().stream().allMatch(li -> "true".equals(card(li.getAttribute("data-media-id")).findElement(By.tagName("img")).getAttribute("data-loaded"))));
    WebElement horseCard = card(horseId);
    assertThat(horseCard.findElement(By.cssSelector("[data-testid=score]")).getText()).isEqualTo("score 0.250");
    assertThat(horseCard.findElement(By.cssSelector("[data-testid=result-caption]")).getText()).isEqualTo("a caption of " + horseId);
    assertThat(horseCard.findElement(By.cssSelector("[data-testid=sources]")).getText()).isEqualTo("matched: clip 0.50");
    Number width = (Number) ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", horseCard.findElement(By.tagName("img")));
    assertThat(width.intValue()).isPositive();
    assertThat(retrieval.lastSearch().getText()).isEqualTo("horse");
    assertThat(retrieval.lastSearch().getExplain()).isTrue();
    screenshot("2-search");

    // More like this.
    horseCard.findElement(By.cssSelector("[data-testid=more-like-this]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("search-info"), "items like " + horseId));
    assertThat(retrieval.lastSearch().getMediaId()).isEqualTo(horseId);

    // Details: classify with my labels, caption, and a streamed answer.
    card(horseId).findElement(By.cssSelector("[data-testid=open]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-status"), "indexed"));
    browser.findElement(By.id("labels")).sendKeys("a horse, a cat, a rocket");
    browser.findElement(By.cssSelector("#classify-form button")).click();
    wait.until(d -> d.findElements(By.cssSelector("[data-testid=class]")).size() == 3);
    assertThat(browser.findElements(By.cssSelector("[data-testid=class]")).get(0).getText()).isEqualTo("a horse \u2014 75.0 %");

    browser.findElement(By.id("caption-button")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("caption"), "an image of " + Files.size(HORSE) + " bytes"));

    browser.findElement(By.id("question")).sendKeys("what colour is it?");
    browser.findElement(By.cssSelector("#ask-form button")).click();
    wait.until(ExpectedConditions.attributeToBe(By.id("answer"), "data-done", "true"));
    assertThat(browser.findElement(By.id("answer")).getText()).isEqualTo("it is brown");
    assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
    screenshot("3-detail");
  }

  @Test
  void aWrongKeyShowsTheProblem() throws IOException {
    browser.get("http://127.0.0.1:18080/");
    browser.findElement(By.id("api-key")).sendKeys("not-a-key");
    browser.findElement(By.id("query")).sendKeys("horse");
    browser.findElement(By.cssSelector("[data-testid=search-button]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
    assertThat(browser.findElement(By.id("error")).getText()).startsWith("Unauthorized: a valid API key is required");
    screenshot("4-unauthorized");
  }

  private List<WebElement> uploads() {
    return browser.findElements(By.cssSelector("#uploads li"));
  }

  private List<WebElement> results() {
    return browser.findElements(By.cssSelector("[data-testid=result]"));
  }

  private WebElement card(String mediaId) {
    return browser.findElement(By.cssSelector("[data-testid=result][data-media-id='" + mediaId + "']"));
  }

  /** A real drop event carrying the file, as the browser makes one when a file is dragged in. */
  private void dropFile(Path file) throws IOException {
    String base64 = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    ((JavascriptExecutor) browser)
        .executeScript(
            "const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));"
                + "const transfer = new DataTransfer();"
                + "transfer.items.add(new File([bytes], arguments[1], {type: 'image/png'}));"
                + "const zone = document.getElementById('drop-zone');"
                + "zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: transfer, bubbles: true, cancelable: true}));"
                + "zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));",
            base64,
            file.getFileName().toString());
  }

  private void screenshot(String name) throws IOException {
    HeadlessChromium.screenshot(browser, name);
  }
}
