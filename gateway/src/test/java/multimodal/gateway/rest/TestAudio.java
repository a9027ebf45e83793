package multimodal.gateway.rest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Audio files the gateway's tests upload: the gateway only sniffs them, so a tone will do. */
public final class TestAudio {

  private TestAudio() {}

  /** A 16 kHz mono 16-bit PCM WAV of a sine tone, {@code samples} long. */
  public static byte[] toneWav(int samples) {
    int dataBytes = samples * 2;
    ByteBuffer wav = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
    wav.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    wav.putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000);
    wav.putShort((short) 2).putShort((short) 16);
    wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
    for (int i = 0; i < samples; i++) {
      wav.putShort((short) (8000 * Math.sin(i * 0.1)));
    }
    return wav.array();
  }
}
