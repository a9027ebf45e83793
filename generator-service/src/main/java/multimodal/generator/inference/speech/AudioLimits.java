package multimodal.generator.inference.speech;

import java.time.Duration;
import multimodal.v1.Limits;

/**
 * What one audio file may cost to decode.
 *
 * @param maxDuration longest audio transcribed; longer audio (declared by its header, or found
 *     while decoding) is refused
 * @param decodeTimeout longest FFmpeg may run on one file (probe and decode each)
 * @param ffmpeg the {@code ffmpeg} executable (a name on the PATH or a path)
 * @param ffprobe the {@code ffprobe} executable
 * @param maxBytes largest audio or video file read (and fetched, to a scratch file)
 */
public record AudioLimits(
    Duration maxDuration, Duration decodeTimeout, String ffmpeg, String ffprobe, long maxBytes) {

  /** With the platform's audio and video byte limit ({@link Limits#AUDIO_VIDEO_MAX_BYTES}). */
  public AudioLimits(Duration maxDuration, Duration decodeTimeout, String ffmpeg, String ffprobe) {
    this(maxDuration, decodeTimeout, ffmpeg, ffprobe, Limits.AUDIO_VIDEO_MAX_BYTES);
  }

  /** Bytes of 16 kHz mono 16-bit PCM the decoder may produce: the longest audio and a second. */
  long maxPcmBytes() {
    return (maxDuration.toMillis() + 1000) * Pcm16k.SAMPLE_RATE * Pcm16k.BYTES_PER_SAMPLE / 1000;
  }
}
