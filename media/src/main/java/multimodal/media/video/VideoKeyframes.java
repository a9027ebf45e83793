package multimodal.media.video;

import static multimodal.media.process.ScratchDirs.seconds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageLimits;
import multimodal.media.InvalidImageException;
import multimodal.media.RgbImage;
import multimodal.media.process.BoundedProcess;
import multimodal.media.process.FfmpegInput;
import multimodal.media.process.ScratchDirs;
import multimodal.media.process.ScratchFile;
import multimodal.v1.ingest.VideoTypes;

/**
 * The keyframes of a video: the first frame, every frame where the scene changes (FFmpeg's {@code
 * scene} score above {@link VideoLimits#sceneThreshold()}) and at least one frame every {@link
 * VideoLimits#maxInterval()}, each with the stretch of time it stands for. Decoded by Debian's
 * FFmpeg as a subprocess with fixed arguments (ADR 0018), so a hostile file costs at most one
 * bounded process:
 *
 * <ol>
 *   <li>the declared type must be a supported video container, and the bytes must start as that
 *       container does (a ZIP archive named {@code .mp4} is refused here, saying what it is);
 *   <li>ffprobe reads the container with the demuxer the type names (never probed from the bytes),
 *       the file protocol only: the codec must be one the container is supported with, the size
 *       within {@link VideoLimits#maxPixels()}, the declared length within {@link
 *       VideoLimits#maxDuration()};
 *   <li>FFmpeg decodes the first video stream on one thread, stopping at the first decoding error
 *       ({@code -xerror}) and after {@code maxDuration + 1 s}, writes at most {@link
 *       VideoLimits#maxFrames()} frames (scaled to fit {@link VideoLimits#frameMaxSide()}) as PNG
 *       into a private temporary directory, and is killed at {@link VideoLimits#decodeTimeout()};
 *   <li>a video whose frames end well before its declared length is refused as truncated.
 * </ol>
 *
 * Every refusal is an {@link InvalidVideoException} naming the field and the reason.
 */
public final class VideoKeyframes {
  /** FFmpeg's demuxer for each canonical type: never probed from the bytes. */
  private static final Map<String, String> DEMUXERS =
      Map.of("video/mp4", "mov", "video/webm", "matroska");

  /** The video codecs accepted in each container (WebM's own three; MP4's common ones). */
  private static final Map<String, Set<String>> CODECS =
      Map.of(
          "video/mp4", Set.of("h264", "hevc", "av1", "vp9", "mpeg4"),
          "video/webm", Set.of("vp8", "vp9", "av1"));

  /** Frames may end this much before the declared length before the video counts as truncated. */
  private static final long TRUNCATION_SLACK_MS = 1000;

  private static final double TRUNCATION_SLACK_SHARE = 0.05;

  /** The per-frame log is ~50 bytes a frame: room for 10 minutes at 240 frames a second. */
  private static final long MAX_LOG_BYTES = 8L * 1024 * 1024;

  private final VideoLimits limits;
  private final ImageDecoder frames = new ImageDecoder(ImageLimits.PLATFORM);

  public VideoKeyframes(VideoLimits limits) {
    this.limits = limits;
  }

  public VideoLimits limits() {
    return limits;
  }

  /**
   * @param contentType the ingest event's content type ({@code video/*})
   * @param field the event field the bytes came from, for the error ({@code data.bytes})
   * @throws InvalidVideoException when the video is refused (the reason says why)
   * @throws IllegalStateException when FFmpeg cannot be started (not installed)
   */
  public Keyframes extract(byte[] data, String contentType, String field) {
    String type = supportedType(contentType);
    checkSignature(type, data, field);
    checkSize(data.length, field);
    try (ScratchFile input = ScratchFile.create("video-input-")) {
      Files.write(input.path(), data);
      return extractChecked(type, input.path(), field);
    } catch (IOException e) {
      throw new UncheckedIOException("temporary video file", e);
    }
  }

  /**
   * As {@link #extract(byte[], String, String)} for a video already in a file (a large video
   * fetched to a scratch file): FFmpeg reads it where it is, nothing of it is loaded here.
   */
  public Keyframes extract(Path file, String contentType, String field) {
    String type = supportedType(contentType);
    try {
      checkSignature(type, head(file), field);
      checkSize(Files.size(file), field);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the video file " + file, e);
    }
    return extractChecked(type, file, field);
  }

  private void checkSize(long size, String field) {
    if (size > limits.maxBytes()) {
      throw new InvalidVideoException(
          field, "video is %d bytes, over the limit of %d".formatted(size, limits.maxBytes()));
    }
  }

  /** The first bytes of the file: enough for every container signature. */
  private static byte[] head(Path file) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(16);
    }
  }

  private Keyframes extractChecked(String type, Path file, String field) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("video-keyframes-");
      String input = file.toAbsolutePath().toString();
      VideoProbe.Info info = VideoProbe.probe(limits, type, dir, input, field);
      checkProbed(type, info, field);
      return decode(type, info, dir, input, field);
    } catch (IOException e) {
      throw new UncheckedIOException("temporary keyframe directory", e);
    } finally {
      ScratchDirs.deleteQuietly(dir);
    }
  }

  private static final String ALL_FRAMES = "all-frames.txt";
  private static final String KEYFRAMES = "keyframes.txt";
  private static final String FRAME_PATTERN = "frame-%05d.png";

  /** The canonical supported type, or the refusal naming the supported ones. */
  public static String supportedType(String contentType) {
    return VideoTypes.canonical(contentType)
        .orElseThrow(
            () ->
                new InvalidVideoException(
                    "data.contentType",
                    "video type "
                        + contentType
                        + " is not supported; supported: "
                        + String.join(", ", VideoTypes.SUPPORTED)));
  }

  /**
   * Refuses bytes that do not start as {@code type} does, saying what they are when that is known.
   */
  static void checkSignature(String type, byte[] data, String field) {
    if (data.length == 0) {
      throw new InvalidVideoException(field, "video is empty");
    }
    Optional<String> sniffed = VideoTypes.sniff(data);
    if (sniffed.isPresent() && sniffed.get().equals(type)) {
      return;
    }
    String what;
    if (sniffed.isPresent()) {
      what = "the bytes are " + sniffed.get();
    } else if (data.length >= 4
        && data[0] == 'P'
        && data[1] == 'K'
        && (data[2] == 3 || data[2] == 5 || data[2] == 7)) {
      what = "the bytes are a ZIP archive";
    } else {
      what =
          "video/mp4".equals(type)
              ? "the bytes do not start with an ISO base media 'ftyp' box"
              : "the bytes do not start with an EBML header";
    }
    throw new InvalidVideoException(field, "not " + type + ": " + what);
  }

  private void checkProbed(String type, VideoProbe.Info info, String field) {
    if (!CODECS.get(type).contains(info.codec())) {
      throw new InvalidVideoException(
          field,
          "%s video codec %s is not supported; supported: %s"
              .formatted(
                  type,
                  info.codec(),
                  String.join(", ", CODECS.get(type).stream().sorted().toList())));
    }
    long pixels = (long) info.width() * info.height();
    if (pixels > limits.maxPixels()) {
      throw new InvalidVideoException(
          field,
          "video is %dx%d = %d pixels, over the limit of %d"
              .formatted(info.width(), info.height(), pixels, limits.maxPixels()));
    }
    long max = limits.maxDuration().toMillis();
    if (info.durationMs().isPresent() && info.durationMs().getAsLong() > max) {
      throw new InvalidVideoException(
          field,
          "the file declares %s of video, over the limit of %s"
              .formatted(seconds(info.durationMs().getAsLong()), seconds(max)));
    }
  }

  private Keyframes decode(String type, VideoProbe.Info info, Path dir, String input, String field)
      throws IOException {
    long maxMs = limits.maxDuration().toMillis();
    // Every decoded frame is logged (its time only: the truncation check and the real length of a
    // file that declares none), then the selection keeps the first frame, scene changes and one
    // frame per interval, at most maxFrames of them, and only those are scaled and written.
    String select =
        String.format(
            Locale.ROOT,
            "select='lt(selected_n,%d)*(eq(n,0)+gt(scene,%.4f)+gte(t-prev_selected_t,%.3f))'",
            limits.maxFrames(),
            limits.sceneThreshold(),
            limits.maxInterval().toMillis() / 1000.0);
    String scale =
        "scale=w='min(iw,%1$d)':h='min(ih,%1$d)':force_original_aspect_ratio=decrease"
            .formatted(limits.frameMaxSide());
    String filters =
        String.join(
            ",",
            "metadata=mode=add:key=multimodal.decoded:value=1",
            "metadata=mode=print:key=multimodal.decoded:file=" + ALL_FRAMES,
            select,
            "metadata=mode=print:key=lavfi.scene_score:file=" + KEYFRAMES,
            scale);
    List<String> command = FfmpegInput.command(limits.ffmpeg(), demuxer(type), input);
    command.addAll(
        List.of(
            "-map",
            "0:v:0",
            "-an",
            "-sn",
            "-dn",
            "-t",
            String.format(Locale.ROOT, "%.3f", (maxMs + 1000) / 1000.0),
            "-filter_threads",
            "1",
            "-vf",
            filters,
            "-fps_mode",
            "vfr",
            "-c:v",
            "png",
            "-f",
            "image2",
            FRAME_PATTERN));
    BoundedProcess.Result result =
        BoundedProcess.run(command, dir, limits.decodeTimeout(), 64 * 1024);
    if (result.timedOut()) {
      throw new InvalidVideoException(
          field, "decoding took longer than " + seconds(limits.decodeTimeout().toMillis()));
    }
    long decodedEnd = lastFrameMillis(dir.resolve(ALL_FRAMES));
    if (decodedEnd > maxMs) {
      throw new InvalidVideoException(
          field, "the video is longer than the limit of " + seconds(maxMs));
    }
    String problem = toolError(result, input, "");
    OptionalLong declared = info.durationMs();
    if (declared.isPresent() && decodedEnd >= 0 && truncated(declared.getAsLong(), decodedEnd)) {
      throw new InvalidVideoException(
          field,
          "the video is truncated: the file declares %s, its frames end at %s%s"
              .formatted(
                  seconds(declared.getAsLong()),
                  seconds(decodedEnd),
                  problem.isEmpty() ? "" : " (FFmpeg: " + problem + ")"));
    }
    if (result.exitCode() != 0) {
      throw new InvalidVideoException(
          field,
          type
              + " does not decode: "
              + (problem.isEmpty() ? "FFmpeg exit " + result.exitCode() : problem));
    }
    List<double[]> selected = KeyframeLog.read(dir.resolve(KEYFRAMES));
    if (decodedEnd < 0 || selected.isEmpty()) {
      throw new InvalidVideoException(field, "the file holds no decodable video frames");
    }
    long durationMs = declared.orElse(decodedEnd);
    List<Keyframe> keyframes = new ArrayList<>(selected.size());
    for (int i = 0; i < selected.size(); i++) {
      Path png = dir.resolve(String.format(Locale.ROOT, "frame-%05d.png", i + 1));
      if (!Files.exists(png)) {
        break;
      }
      long start = Math.round(selected.get(i)[0] * 1000);
      long end =
          i + 1 < selected.size()
              ? Math.round(selected.get(i + 1)[0] * 1000)
              : Math.max(start, durationMs);
      keyframes.add(new Keyframe(start, end, readFrame(png, field), selected.get(i)[1]));
    }
    return new Keyframes(type, info.codec(), info.width(), info.height(), durationMs, keyframes);
  }

  private RgbImage readFrame(Path png, String field) throws IOException {
    try {
      return frames.decode(Files.readAllBytes(png), field);
    } catch (InvalidImageException e) {
      // FFmpeg's own PNG: not the caller's fault, but the item still cannot be used.
      throw new IllegalStateException("FFmpeg wrote a frame that does not decode: " + e, e);
    }
  }

  /** The time of the last frame FFmpeg decoded, in milliseconds; -1 when it decoded none. */
  private static long lastFrameMillis(Path log) throws IOException {
    if (!Files.exists(log)) {
      return -1;
    }
    if (Files.size(log) > MAX_LOG_BYTES) {
      // Only a file far over the duration limit can log this much: its last frame is past it.
      return Long.MAX_VALUE;
    }
    List<double[]> frames = KeyframeLog.read(log);
    return frames.isEmpty() ? -1 : Math.round(frames.get(frames.size() - 1)[0] * 1000);
  }

  private static boolean truncated(long declaredMs, long decodedEndMs) {
    return decodedEndMs
        < declaredMs - Math.max(TRUNCATION_SLACK_MS, (long) (declaredMs * TRUNCATION_SLACK_SHARE));
  }

  static String demuxer(String type) {
    return DEMUXERS.get(type);
  }

  /**
   * The tool's first error line without the temporary file's name and FFmpeg's component prefix
   * ({@code [mov,mp4,… @ 0x55…]}, an address that differs each run), or {@code fallback}.
   */
  static String toolError(BoundedProcess.Result result, String input, String fallback) {
    String line =
        result
            .firstErrorLine()
            .replaceFirst("^\\[[^\\]]* @ 0x[0-9a-f]+\\] ", "")
            .replace(input + ": ", "");
    return line.isEmpty() ? fallback : line;
  }

  /** Reads FFmpeg's metadata print log. */
  static final class KeyframeLog {
    private KeyframeLog() {}

    /**
     * Each frame of a {@code metadata=mode=print} log: {@code [pts_time seconds, scene score]}
     * (score 0 when the frame has none), in order.
     */
    static List<double[]> read(Path log) throws IOException {
      List<double[]> frames = new ArrayList<>();
      if (!Files.exists(log)) {
        return frames;
      }
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        int at = line.indexOf("pts_time:");
        if (line.startsWith("frame:") && at >= 0) {
          frames.add(new double[] {parse(line.substring(at + "pts_time:".length())), 0});
        } else if (line.startsWith("lavfi.scene_score=") && !frames.isEmpty()) {
          frames.get(frames.size() - 1)[1] = parse(line.substring("lavfi.scene_score=".length()));
        }
      }
      return frames;
    }

    private static double parse(String number) {
      try {
        return Double.parseDouble(number.strip());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
  }
}
