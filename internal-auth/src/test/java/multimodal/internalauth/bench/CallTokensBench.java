package multimodal.internalauth.bench;

import java.util.List;
import java.util.Optional;
import multimodal.internalauth.CallTokenVerifier;
import multimodal.internalauth.CallTokens;
import multimodal.internalauth.SigningKeys;

/**
 * What a call token costs per call: minting (caller) and verifying (callee), in microseconds per
 * token, after a warm-up. Prints figures; asserts nothing.
 *
 * <p>Command, machine and figures: docs/benchmarks.md.
 */
public final class CallTokensBench {
  private static final int WARM_UP = 50_000;
  private static final int ROUNDS = 200_000;

  private CallTokensBench() {}

  public static void main(String[] args) {
    SigningKeys keys =
        SigningKeys.of(
            Optional.of("bench-internal-auth-key-0123456789abcdef-0123"), Optional.empty());
    CallTokens tokens = new CallTokens("gateway", keys);
    CallTokenVerifier verifier = new CallTokenVerifier(keys, List.of("gateway"));
    String[] minted = new String[ROUNDS];
    for (int i = 0; i < WARM_UP; i++) {
      verifier.verify("Bearer " + tokens.mint("retrieval-service", "acme"), "retrieval-service");
    }
    long start = System.nanoTime();
    for (int i = 0; i < ROUNDS; i++) {
      minted[i] = "Bearer " + tokens.mint("retrieval-service", "tenant-" + (i % 100));
    }
    long minting = System.nanoTime() - start;
    start = System.nanoTime();
    int verified = 0;
    for (String token : minted) {
      verified += verifier.verify(token, "retrieval-service").tenant().isPresent() ? 1 : 0;
    }
    long verifying = System.nanoTime() - start;
    System.out.printf(
        "tokens: %d, token length %d chars%n", verified, minted[0].length() - "Bearer ".length());
    System.out.printf("mint:   %.2f us/token%n", minting / 1_000.0 / ROUNDS);
    System.out.printf("verify: %.2f us/token%n", verifying / 1_000.0 / ROUNDS);
  }
}
