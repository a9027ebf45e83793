package multimodal.generator.inference.speech;

import java.time.Duration;

/**
 * What one audio file may cost to decode.
 *
 * @param maxDuration longest audio transcribed; longer audio (declared by its header, or found
 *     while decoding) is refused
 * @param decodeTimeout longest FFmpeg may run on one file (probe and decode each)
 * @param ffmpeg the {@code ffmpeg} executable (a name on the PATH or a path)
 * @param ffprobe the {@code ffprobe} executable
 */
public record AudioLimits(
    Duration maxDuration, Duration decodeTimeout, String ffmpeg, String ffprobe) {

  /** Bytes of 16 kHz mono 16-bit PCM the decoder may produce: the longest audio and a second. */
  long maxPcmBytes() {
    return (maxDuration.toMillis() + 1000) * Pcm16k.SAMPLE_RATE * Pcm16k.BYTES_PER_SAMPLE / 1000;
  }
}
