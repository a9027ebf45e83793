package multimodal.gateway.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * The web UI against a running platform (real encoder, retrieval and, optionally, generator):
 * runs only when {@code -Dbrowser.base-url=http://127.0.0.1:8080} is given, e.g.
 * {@code mvn -pl gateway verify -Dtest=WebUiAgainstPlatformTest -Dbrowser.base-url=http://127.0.0.1:8080
 * -Dbrowser.api-key=demo-key-change-me [-Dbrowser.expect-captions=true]}. Upload, wait for the
 * real pipeline to embed, search for "something red" (the demo CLIP knows colours), more like
 * this, classify; caption and ask when the generator is expected. Screenshots as in WebUiBrowserTest.
 */
class WebUiAgainstPlatformTest {
  private static final String BASE_URL = System.getProperty("browser.base-url", "");
  private static final String API_KEY = System.getProperty("browser.api-key", "demo-key-change-me");
  private static final boolean CAPTIONS = Boolean.getBoolean("browser.expect-captions");
  private static final Path COFFEE = Path.of("../testdata/images/coffee.png").toAbsolutePath().normalize();

  private WebDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void startBrowser(@TempDir Path profile) throws IOException {
    Assumptions.assumeTrue(!BASE_URL.isBlank(), "set -Dbrowser.base-url to run against a running platform");
    assertThat(HeadlessChromium.installed()).as("chromium and chromium-driver must be installed").isTrue();
    browser = HeadlessChromium.start(profile);
    wait = new WebDriverWait(browser, Duration.ofSeconds(120));
  }

  @AfterEach
  void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void uploadEmbedSearchAndClassifyOnTheRealPipeline() throws IOException {
    browser.get(BASE_URL + "/");
    WebElement key = browser.findElement(By.id("api-key"));
    key.sendKeys(API_KEY);
    ((JavascriptExecutor) browser).executeScript("arguments[0].dispatchEvent(new Event('change'))", key);

    browser.findElement(By.id("file-input")).sendKeys(COFFEE.toString());
    String target = CAPTIONS ? "captioned" : "embedded";
    wait.until(d -> {
      List<WebElement> items = d.findElements(By.cssSelector("#uploads li"));
      return !items.isEmpty()
          && items.get(0).findElements(By.cssSelector("[data-stage=" + target + "].done")).size() == 1;
    });
    String mediaId = browser.findElement(By.cssSelector("#uploads li")).getAttribute("data-media-id");
    HeadlessChromium.screenshot(browser, "platform-1-uploaded");

    browser.findElement(By.id("query")).sendKeys("something red");
    browser.findElement(By.cssSelector("[data-testid=search-button]")).click();
    wait.until(d -> !d.findElements(By.cssSelector("[data-testid=result][data-media-id='" + mediaId + "']")).isEmpty());
    WebElement card = browser.findElement(By.cssSelector("[data-testid=result][data-media-id='" + mediaId + "']"));
    wait.until(d -> "true".equals(card.findElement(By.tagName("img")).getAttribute("data-loaded")));
    assertThat(card.findElement(By.cssSelector("[data-testid=score]")).getText()).startsWith("score ");
    HeadlessChromium.screenshot(browser, "platform-2-search");

    card.findElement(By.cssSelector("[data-testid=more-like-this]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("search-info"), "items like " + mediaId));
    browser.findElement(By.cssSelector("[data-testid=result][data-media-id='" + mediaId + "'] [data-testid=open]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-status"), "indexed"));
    browser.findElement(By.id("labels")).sendKeys("something red, something blue");
    browser.findElement(By.cssSelector("#classify-form button")).click();
    wait.until(d -> d.findElements(By.cssSelector("[data-testid=class]")).size() == 2);
    if (CAPTIONS) {
      browser.findElement(By.id("caption-button")).click();
      wait.until(d -> !d.findElement(By.id("caption")).getText().isBlank() && !d.findElement(By.id("caption")).getText().equals("\u2026"));
      browser.findElement(By.id("question")).sendKeys("What is in the picture?");
      browser.findElement(By.cssSelector("#ask-form button")).click();
      wait.until(ExpectedConditions.attributeToBe(By.id("answer"), "data-done", "true"));
      assertThat(browser.findElement(By.id("answer")).getText()).isNotBlank();
    }
    assertThat(browser.findElement(By.id("error")).isDisplayed()).as(browser.findElement(By.id("error")).getText()).isFalse();
    HeadlessChromium.screenshot(browser, "platform-3-detail");
  }
}
