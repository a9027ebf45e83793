package multimodal.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Bulk ingest through the gateway's REST API: every image, video and audio file of the given
 * folders/files (by suffix; files are streamed, never read whole) and every URL of a list is sent,
 * then followed through the pipeline (GET /v1/media/{id}) with a progress bar of sent / embedded /
 * captioned / failed. Progress is kept in a state file, so a run that was interrupted picks up
 * where it stopped (nothing is sent twice). Exit code 1 when items failed.
 */
@Command(
    name = "bulk-ingest",
    mixinStandardHelpOptions = true,
    version = "bulk-ingest 0.1.0",
    description =
        "Ingests folders of images, videos and audio files or a list of URLs through the gateway"
            + " and follows them through the pipeline.")
public class BulkIngest implements Callable<Integer> {
  static final List<String> MEDIA_SUFFIXES =
      List.of(
          ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff", // images
          ".mp4", ".m4v", ".webm", // video
          ".wav", ".mp3", ".ogg", ".opus", ".flac"); // audio

  /** The gateway's slowest accepted upload pace (gateway.upload.min-body-rate, 600K/s). */
  private static final long SLOWEST_BYTES_PER_SECOND = 600 * 1024;

  private static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(120);

  @Parameters(
      paramLabel = "PATH",
      description = "Image, video or audio files, or folders (searched recursively).")
  List<Path> paths = new ArrayList<>();

  @Option(
      names = "--urls",
      paramLabel = "FILE",
      description = "A file of image URLs, one per line ('#' starts a comment).")
  Path urls;

  @Option(
      names = "--gateway",
      defaultValue = "http://127.0.0.1:8080",
      description = "Gateway base URL (default: ${DEFAULT-VALUE}).")
  URI gateway;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      defaultValue = "${env:MULTIMODAL_API_KEY}",
      description = "API key (default: environment variable MULTIMODAL_API_KEY).")
  String apiKey;

  @Option(
      names = "--state",
      paramLabel = "FILE",
      defaultValue = "bulk-ingest.state.json",
      description = "Progress file for resuming (default: ${DEFAULT-VALUE}).")
  Path stateFile;

  @Option(
      names = "--until",
      defaultValue = "embedded",
      description =
          "Stage an item must reach to count as done: sent, embedded or captioned (a recording"
              + " reaches both with its transcript; default: ${DEFAULT-VALUE}).")
  String until;

  @Option(
      names = "--timeout",
      defaultValue = "PT10M",
      description = "How long to follow the pipeline, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--poll",
      defaultValue = "PT1S",
      description = "Status poll interval, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration poll;

  @Option(names = "--tag", description = "Tag for every item (repeatable).")
  List<String> tags = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public static void main(String[] args) {
    System.exit(new CommandLine(new BulkIngest()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (apiKey == null || apiKey.isBlank()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "an API key is required: --api-key or MULTIMODAL_API_KEY");
    }
    Stage target = Stage.parse(until);
    List<String> items = collect();
    if (items.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "nothing to ingest: give image files, folders or --urls");
    }
    IngestState state = IngestState.load(stateFile, json);
    int resumed = (int) items.stream().filter(state::known).count();
    if (resumed > 0) {
      out.printf("resuming: %d of %d item(s) already in %s%n", resumed, items.size(), stateFile);
    }
    Progress progress = new Progress(out, items.size(), System.console() != null);

    for (String item : items) {
      if (!state.known(item)) {
        state.put(item, send(item));
        state.save();
      }
      progress.show(state, items);
    }

    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      boolean pending = false;
      for (String item : items) {
        IngestState.Entry entry = state.get(item);
        if (entry.stage().isTerminal() || entry.stage().reached(target)) {
          continue;
        }
        Stage now = follow(entry.mediaId());
        if (now != entry.stage()) {
          state.put(item, entry.withStage(now, null));
          state.save();
        }
        pending |= !now.reached(target);
      }
      progress.show(state, items);
      if (!pending || Instant.now().isAfter(deadline)) {
        break;
      }
      Thread.sleep(poll.toMillis()); // a CLI pacing its polls; no test waits on this
    }
    for (String item : items) {
      IngestState.Entry entry = state.get(item);
      if (!entry.stage().isTerminal() && !entry.stage().reached(target)) {
        state.put(
            item, entry.withStage(Stage.FAILED, "not " + target.label() + " within " + timeout));
      }
    }
    state.save();
    progress.finish(state, items);
    return summary(out, state, items, target) ? 0 : 1;
  }

  private boolean summary(PrintWriter out, IngestState state, List<String> items, Stage target) {
    Map<Stage, Long> counts = state.counts(items);
    long failed = counts.getOrDefault(Stage.FAILED, 0L);
    out.printf(
        "summary: %d item(s): %d sent, %d embedded, %d captioned, %d failed (target: %s)%n",
        items.size(),
        items.size() - failed,
        counts.getOrDefault(Stage.EMBEDDED, 0L) + counts.getOrDefault(Stage.CAPTIONED, 0L),
        counts.getOrDefault(Stage.CAPTIONED, 0L),
        failed,
        target.label());
    for (String item : items) {
      IngestState.Entry entry = state.get(item);
      if (entry.stage() == Stage.FAILED) {
        out.printf("  failed: %s: %s%n", item, entry.error());
      }
    }
    out.flush();
    return failed == 0;
  }

  private List<String> collect() throws IOException {
    List<String> items = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.walk(path)) {
          files
              .filter(Files::isRegularFile)
              .filter(BulkIngest::looksLikeMedia)
              .map(p -> p.toAbsolutePath().normalize().toString())
              .sorted()
              .forEach(items::add);
        }
      } else if (Files.isRegularFile(path)) {
        items.add(path.toAbsolutePath().normalize().toString());
      } else {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "no such file or folder: " + path);
      }
    }
    if (urls != null) {
      for (String line : Files.readAllLines(urls, StandardCharsets.UTF_8)) {
        String url = line.strip();
        if (!url.isEmpty() && !url.startsWith("#")) {
          items.add(url);
        }
      }
    }
    return items.stream().distinct().toList();
  }

  private static boolean looksLikeMedia(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return MEDIA_SUFFIXES.stream().anyMatch(name::endsWith);
  }

  /**
   * Sends one item; refusals (4xx) are recorded as failed, transient errors retried. The loop is
   * hand-written (docs/adr/0015): each wait is the gateway's own {@code Retry-After}, read from the
   * response that asks for it.
   */
  private IngestState.Entry send(String item) throws IOException, InterruptedException {
    HttpRequest request = isUrl(item) ? urlRequest(item) : uploadRequest(Path.of(item));
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (attempt >= 5) {
          return IngestState.Entry.failed("gateway unreachable: " + e);
        }
        Thread.sleep(1000L * attempt); // back off before retrying a connection error
        continue;
      }
      int status = response.statusCode();
      if (status == 202) {
        return new IngestState.Entry(
            json.readTree(response.body()).path("mediaId").asText(), Stage.SENT, null);
      }
      if ((status == 429 || status == 503) && attempt < 10) {
        long seconds = response.headers().firstValueAsLong("Retry-After").orElse(attempt);
        Thread.sleep(Math.max(1, seconds) * 1000L); // honour the gateway's Retry-After
        continue;
      }
      return IngestState.Entry.failed(status + " " + problemDetail(response.body()));
    }
  }

  private Stage follow(String mediaId) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                gateway.resolve("/v1/media/" + URLEncoder.encode(mediaId, StandardCharsets.UTF_8)))
            .header("X-API-Key", apiKey)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return Stage.SENT; // try again on the next round
    }
    if (response.statusCode() != 200) {
      return Stage.SENT;
    }
    return stageOf(json.readTree(response.body()));
  }

  /** Where {@code GET /v1/media/{id}}'s answer puts an item. */
  static Stage stageOf(JsonNode status) {
    // A recording has no picture to embed or caption: its transcript is what makes it searchable
    // (embedded as text) and its text enrichment, so a transcribed recording has both stages.
    boolean transcribedAudio =
        status.path("contentType").asText("").startsWith("audio/")
            && status.path("transcript").size() > 0;
    if (status.path("captioned").asBoolean() || transcribedAudio) {
      return Stage.CAPTIONED;
    }
    return status.path("embeddedBy").size() > 0 ? Stage.EMBEDDED : Stage.SENT;
  }

  private HttpRequest urlRequest(String url) throws IOException {
    byte[] body = json.writeValueAsBytes(Map.of("uri", url, "tags", tags));
    return HttpRequest.newBuilder(gateway.resolve("/v1/media"))
        .header("X-API-Key", apiKey)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /**
   * A multipart/form-data body by hand: java.net.http has no multipart publisher. The file is
   * streamed from disk (an audio or video file may be hundreds of MB), with its length declared, so
   * the gateway allows the body the time its length needs; this client waits as long, at the
   * gateway's slowest accepted rate.
   */
  private HttpRequest uploadRequest(Path file) throws IOException {
    String boundary = "bulk-" + UUID.randomUUID();
    StringBuilder head = new StringBuilder();
    for (String tag : tags) {
      head.append("--")
          .append(boundary)
          .append("\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\n")
          .append(tag)
          .append("\r\n");
    }
    String name = file.getFileName().toString().replace("\"", "");
    head.append("--")
        .append(boundary)
        .append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
        .append(name)
        .append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    long size = Files.size(file);
    return HttpRequest.newBuilder(gateway.resolve("/v1/media"))
        .header("X-API-Key", apiKey)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .timeout(UPLOAD_TIMEOUT.plusSeconds(size / SLOWEST_BYTES_PER_SECOND))
        .POST(
            HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString(head.toString(), StandardCharsets.UTF_8),
                HttpRequest.BodyPublishers.ofFile(file),
                HttpRequest.BodyPublishers.ofString(
                    "\r\n--" + boundary + "--\r\n", StandardCharsets.UTF_8)))
        .build();
  }

  private String problemDetail(String body) {
    try {
      JsonNode problem = json.readTree(body);
      return problem.path("detail").asText(problem.path("title").asText(""));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  static boolean isUrl(String item) {
    String lower = item.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  /** Where an item is; the order is the pipeline's. */
  enum Stage {
    SENT,
    EMBEDDED,
    CAPTIONED,
    FAILED;

    static Stage parse(String value) {
      try {
        Stage stage = valueOf(value.strip().toUpperCase(Locale.ROOT));
        if (stage != FAILED) {
          return stage;
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      throw new IllegalArgumentException("--until must be sent, embedded or captioned");
    }

    boolean isTerminal() {
      return this == FAILED;
    }

    boolean reached(Stage target) {
      return this != FAILED && ordinal() >= target.ordinal();
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The progress line: redrawn in place on a terminal, printed now and then otherwise. */
  static final class Progress {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final int total;
    private final boolean terminal;
    private String last = "";
    private long lastPrinted;

    Progress(PrintWriter out, int total, boolean terminal) {
      this.out = out;
      this.total = total;
      this.terminal = terminal;
    }

    void show(IngestState state, List<String> items) {
      String line = line(state, items);
      if (line.equals(last)) {
        return;
      }
      last = line;
      if (terminal) {
        out.print("\r" + line);
        out.flush();
      } else if (System.currentTimeMillis() - lastPrinted > 2000) {
        lastPrinted = System.currentTimeMillis();
        out.println(line);
        out.flush();
      }
    }

    void finish(IngestState state, List<String> items) {
      String line = line(state, items);
      out.println(terminal ? "\r" + line : line);
      out.flush();
    }

    private String line(IngestState state, List<String> items) {
      Map<Stage, Long> counts = state.counts(items);
      long failed = counts.getOrDefault(Stage.FAILED, 0L);
      long captioned = counts.getOrDefault(Stage.CAPTIONED, 0L);
      long embedded = counts.getOrDefault(Stage.EMBEDDED, 0L) + captioned;
      long sent = items.stream().filter(state::known).count() - failed;
      long done = embedded + failed;
      int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
      return "["
          + "#".repeat(filled)
          + ".".repeat(WIDTH - filled)
          + "] "
          + String.format(
              "sent %d/%d  embedded %d  captioned %d  failed %d",
              sent, total, embedded, captioned, failed);
    }
  }
}
