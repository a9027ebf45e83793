package multimodal.internalauth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shared secret every service signs and checks call tokens with, and optionally the previous
 * one, accepted for verification only while a rotation rolls out (tokens are always signed with the
 * current key). Given as text; its UTF-8 bytes are the HMAC-SHA256 key.
 */
public final class SigningKeys {
  public static final String KEY_SETTING = "multimodal.internal-auth.key";
  public static final String KEY_ENV = "MULTIMODAL_INTERNAL_AUTH_KEY";
  public static final String PREVIOUS_KEY_SETTING = "multimodal.internal-auth.previous-key";

  /** HS256 needs a key at least as long as its hash: 256 bits. */
  public static final int MIN_BYTES = 32;

  private final byte[] current;
  private final List<byte[]> verification;

  private SigningKeys(byte[] current, byte[] previous) {
    this.current = current;
    List<byte[]> keys = new ArrayList<>(List.of(current));
    if (previous != null) {
      keys.add(previous);
    }
    this.verification = List.copyOf(keys);
  }

  /**
   * The keys from configuration. Throws, naming the setting and how to make a key, when the key is
   * missing or shorter than {@value #MIN_BYTES} bytes: a service must not start unauthenticated.
   */
  public static SigningKeys of(Optional<String> key, Optional<String> previousKey) {
    String value =
        key.filter(k -> !k.isBlank())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        KEY_SETTING
                            + " (env "
                            + KEY_ENV
                            + ") is not set: every service that serves or calls internal gRPC"
                            + " needs the platform's shared internal-auth key, at least "
                            + MIN_BYTES
                            + " bytes; generate one with `openssl rand -base64 48` and give the"
                            + " same value to all four services"));
    byte[] previous =
        previousKey.filter(k -> !k.isBlank()).map(k -> bytes(k, PREVIOUS_KEY_SETTING)).orElse(null);
    return new SigningKeys(bytes(value, KEY_SETTING), previous);
  }

  private static byte[] bytes(String key, String setting) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_BYTES) {
      throw new IllegalStateException(
          setting
              + " is "
              + bytes.length
              + " bytes long; it must be at least "
              + MIN_BYTES
              + " bytes (generate one with `openssl rand -base64 48`)");
    }
    return bytes;
  }

  /** The key tokens are signed with. */
  byte[] signing() {
    return current.clone();
  }

  /** The keys a token's signature is checked against, the current one first. */
  List<byte[]> verification() {
    return verification;
  }
}
