package multimodal.generator.inference.speech;

import static multimodal.media.process.ScratchDirs.seconds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import multimodal.generator.InvalidInputException;
import multimodal.media.process.BoundedProcess;
import multimodal.media.process.FfmpegInput;
import multimodal.media.process.ScratchFile;
import multimodal.v1.ingest.AudioTypes;
import multimodal.v1.ingest.VideoTypes;

/**
 * Decodes an audio file (WAV, MP3, Ogg Opus/Vorbis, FLAC), or the audio track of a video (MP4,
 * WebM), to 16 kHz mono PCM with Debian's FFmpeg, run as a subprocess with strict arguments and
 * hard limits, so a hostile file can cost at most {@link AudioLimits#decodeTimeout()} and {@link
 * AudioLimits#maxPcmBytes()}:
 *
 * <ol>
 *   <li>the declared type must be one the platform transcribes, and the bytes must start as that
 *       type does (a ZIP archive named {@code .wav} is refused here, saying what it is);
 *   <li>the length the file declares (ffprobe; for WAV also the header's data size, read by the
 *       JDK's own WAV reader, since ffprobe caps a WAV's length by the file's size) must be within
 *       {@link AudioLimits#maxDuration()}: a 10-hour WAV header is refused before anything is
 *       decoded;
 *   <li>FFmpeg decodes with the demuxer the type names (no probing), the file protocol only, one
 *       thread, the first audio stream only, stopping on the first decoding error ({@code -xerror})
 *       and after {@code maxDuration + 1 s}; its output is capped and it is killed at the timeout;
 *   <li>audio much shorter than its header declares (a lying or truncated header) is refused as
 *       truncated, and a file that yields no samples is refused.
 * </ol>
 *
 * A video is read the same way, its pictures never decoded ({@code -vn}); a video without an audio
 * track is not an error: it decodes to no samples ({@link Pcm16k#isEmpty()}), which the consumer
 * publishes as an empty transcript. For a video only the audio stream's own length counts as
 * declared (the container's length is the pictures' too, and a silent tail is no truncation).
 *
 * <p>Every refusal is an {@link InvalidInputException} naming the field and the reason.
 */
public final class AudioDecoder {
  /** FFmpeg's demuxer for each canonical type: never probed from the bytes. */
  private static final Map<String, String> DEMUXERS =
      Map.of(
          "audio/wav", "wav",
          "audio/mpeg", "mp3",
          "audio/ogg", "ogg",
          "audio/flac", "flac",
          "video/mp4", "mp4",
          "video/webm", "webm");

  /** Decoded audio may fall short of the declared length by this much before it is truncated. */
  private static final long TRUNCATION_SLACK_MS = 500;

  private static final double TRUNCATION_SLACK_SHARE = 0.05;

  private final AudioLimits limits;
  private final ObjectMapper json = new ObjectMapper();

  public AudioDecoder(AudioLimits limits) {
    this.limits = limits;
  }

  public AudioLimits limits() {
    return limits;
  }

  /**
   * @param contentType the ingest event's content type ({@code audio/*})
   * @param field the event field the bytes came from, for the error ({@code data.bytes})
   * @throws InvalidInputException when the audio is refused (the message says why)
   */
  public Pcm16k decode(byte[] data, String contentType, String field) {
    try (ScratchFile input = ScratchFile.create("audio-input-")) {
      Files.write(input.path(), data);
      return decode(input.path(), contentType, field);
    } catch (IOException e) {
      throw new UncheckedIOException("temporary audio file", e);
    }
  }

  /**
   * As {@link #decode(byte[], String, String)} for a file already on disk (a large recording or
   * video fetched to a scratch file): FFmpeg reads it where it lies, only its header is read here.
   */
  public Pcm16k decode(Path input, String contentType, String field) {
    boolean video = VideoTypes.isVideo(contentType);
    String type = video ? videoType(contentType) : audioType(contentType);
    try {
      AudioSignature.mismatch(type, head(input))
          .ifPresent(
              what -> {
                throw new InvalidInputException(
                    field, "not " + type + (video ? " video: " : " audio: ") + what);
              });
      long size = Files.size(input);
      if (size > limits.maxBytes()) {
        throw new InvalidInputException(
            field, "the file is %d bytes, over the limit of %d".formatted(size, limits.maxBytes()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audio file " + input, e);
    }
    Probe probe = probe(type, input, field);
    if (!probe.hasAudio()) {
      if (video) {
        return new Pcm16k(new byte[0]);
      }
      throw new InvalidInputException(field, "the file holds no audio stream");
    }
    OptionalLong declared = declaredMillis(type, input, probe);
    long max = limits.maxDuration().toMillis();
    if (declared.isPresent() && declared.getAsLong() > max) {
      throw new InvalidInputException(
          field,
          "the file declares %s of audio, over the limit of %s"
              .formatted(seconds(declared.getAsLong()), seconds(max)));
    }
    Pcm16k pcm = run(type, input, declared, field);
    if (pcm.durationMillis() > max) {
      throw new InvalidInputException(
          field, "the audio is longer than the limit of %s".formatted(seconds(max)));
    }
    return pcm;
  }

  /** The first bytes of the file: enough for every signature {@link AudioSignature} knows. */
  private static byte[] head(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(64);
    }
  }

  private static String audioType(String contentType) {
    return AudioTypes.canonical(contentType)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "data.contentType",
                    "audio type "
                        + contentType
                        + " is not transcribed; supported: "
                        + String.join(", ", AudioTypes.SUPPORTED)));
  }

  private static String videoType(String contentType) {
    return VideoTypes.canonical(contentType)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "data.contentType",
                    "video type "
                        + contentType
                        + " is not transcribed; supported: "
                        + String.join(", ", VideoTypes.SUPPORTED)));
  }

  private Pcm16k run(String type, Path input, OptionalLong declared, String field) {
    List<String> command =
        FfmpegInput.command(limits.ffmpeg(), DEMUXERS.get(type), input.toString());
    command.addAll(
        List.of(
            "-map",
            "0:a:0",
            "-vn",
            "-sn",
            "-dn",
            "-ac",
            "1",
            "-ar",
            Integer.toString(Pcm16k.SAMPLE_RATE),
            "-t",
            String.format(Locale.ROOT, "%.3f", (limits.maxDuration().toMillis() + 1000) / 1000.0),
            "-c:a",
            "pcm_s16le",
            "-f",
            "s16le",
            "pipe:1"));
    BoundedProcess.Result result =
        BoundedProcess.run(command, limits.decodeTimeout(), limits.maxPcmBytes());
    if (result.timedOut()) {
      throw new InvalidInputException(
          field, "decoding took longer than " + seconds(limits.decodeTimeout().toMillis()));
    }
    if (result.outputOverflow()) {
      throw new InvalidInputException(
          field,
          "the audio is longer than the limit of " + seconds(limits.maxDuration().toMillis()));
    }
    byte[] samples = result.stdout();
    if (samples.length % 2 != 0) {
      samples = Arrays.copyOf(samples, samples.length - 1);
    }
    Pcm16k pcm = new Pcm16k(samples);
    String problem = ffmpegError(result, input);
    if (declared.isPresent() && truncated(declared.getAsLong(), pcm.durationMillis())) {
      throw new InvalidInputException(
          field,
          "the audio is truncated: the file declares %s, it holds %s%s"
              .formatted(
                  seconds(declared.getAsLong()),
                  seconds(pcm.durationMillis()),
                  problem.isEmpty() ? "" : " (FFmpeg: " + problem + ")"));
    }
    if (result.exitCode() != 0) {
      throw new InvalidInputException(
          field,
          doesNotDecode(type) + (problem.isEmpty() ? "FFmpeg exit " + result.exitCode() : problem));
    }
    if (pcm.sampleCount() == 0) {
      throw new InvalidInputException(field, "the file holds no audio samples");
    }
    return pcm;
  }

  /**
   * What ffprobe reads from the header: whether there is an audio stream, and the lengths the audio
   * stream and the container declare (in milliseconds, -1 when they do not say).
   */
  private record Probe(boolean hasAudio, long streamMillis, long formatMillis) {}

  /**
   * The length the file declares, in milliseconds: the larger of ffprobe's and, for WAV, the
   * header's data size; for a video the audio stream's own length only; empty when none says.
   */
  private static OptionalLong declaredMillis(String type, Path input, Probe probe) {
    long probed =
        VideoTypes.isVideo(type)
            ? probe.streamMillis()
            : Math.max(probe.streamMillis(), probe.formatMillis());
    OptionalLong header = "audio/wav".equals(type) ? wavHeaderMillis(input) : OptionalLong.empty();
    if (probed >= 0 && header.isPresent()) {
      return OptionalLong.of(Math.max(probed, header.getAsLong()));
    }
    return probed >= 0 ? OptionalLong.of(probed) : header;
  }

  private Probe probe(String type, Path input, String field) {
    List<String> command = FfmpegInput.probe(limits.ffprobe(), DEMUXERS.get(type));
    command.addAll(
        List.of(
            "-select_streams",
            "a:0",
            "-show_entries",
            "format=duration:stream=codec_type,duration",
            "-of",
            "json",
            input.toString()));
    BoundedProcess.Result result = BoundedProcess.run(command, limits.decodeTimeout(), 1024 * 1024);
    if (result.timedOut()) {
      throw new InvalidInputException(
          field,
          "reading the header took longer than " + seconds(limits.decodeTimeout().toMillis()));
    }
    if (!result.ok()) {
      String problem = ffmpegError(result, input);
      throw new InvalidInputException(
          field,
          doesNotDecode(type)
              + (problem.isEmpty() ? "ffprobe exit " + result.exitCode() : problem));
    }
    JsonNode info;
    try {
      info = json.readTree(result.stdout());
    } catch (IOException e) {
      throw new IllegalStateException("ffprobe wrote no JSON", e);
    }
    JsonNode streams = info.path("streams");
    if (!streams.isArray() || streams.isEmpty()) {
      return new Probe(false, -1, -1);
    }
    return new Probe(
        true,
        millis(streams.get(0).path("duration")),
        millis(info.path("format").path("duration")));
  }

  /** A duration ffprobe wrote in seconds, in milliseconds; -1 for "N/A" and the like. */
  private static long millis(JsonNode duration) {
    if (duration.isTextual()) {
      try {
        return Math.round(Double.parseDouble(duration.asText()) * 1000);
      } catch (NumberFormatException e) {
        // The container does not say.
      }
    }
    return -1;
  }

  private static String doesNotDecode(String type) {
    return VideoTypes.isVideo(type)
        ? type + " video does not decode: "
        : type + " audio does not decode: ";
  }

  /**
   * The length a WAV header declares (data size / frame size / frame rate), by the JDK's WAV
   * reader; empty for encodings it does not read (FFmpeg still decodes those).
   */
  static OptionalLong wavHeaderMillis(Path file) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      AudioFileFormat format = AudioSystem.getAudioFileFormat(in);
      long frames = format.getFrameLength();
      float rate = format.getFormat().getFrameRate();
      if (frames == AudioSystem.NOT_SPECIFIED || rate <= 0) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(Math.round(frames * 1000.0 / rate));
    } catch (UnsupportedAudioFileException | IOException e) {
      return OptionalLong.empty();
    }
  }

  private static boolean truncated(long declaredMs, long decodedMs) {
    return decodedMs
        < declaredMs - Math.max(TRUNCATION_SLACK_MS, (long) (declaredMs * TRUNCATION_SLACK_SHARE));
  }

  /** FFmpeg's first error line without the temporary file's path. */
  private static String ffmpegError(BoundedProcess.Result result, Path input) {
    return result
        .firstErrorLine()
        .replace(input.toString() + ": ", "")
        .replace(input.toString(), "input");
  }
}
