package multimodal.gateway.blob;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import multimodal.gateway.MediaIds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blob bytes are reference-counted by the items stored as them, across tenants. */
class StoredMediaTest {
  private static final byte[] BYTES = "the same image bytes".getBytes(StandardCharsets.UTF_8);
  private static final String HASH = MediaIds.sha256(BYTES);

  @TempDir Path dir;
  private LocalBlobStore blobs;
  private LocalMediaRefs refs;
  private StoredMedia stored;

  @BeforeEach
  void setUp() {
    blobs = new LocalBlobStore(dir);
    refs = new LocalMediaRefs(dir, new ObjectMapper());
    stored = new StoredMedia(blobs, refs);
  }

  private Optional<MediaRef> upload(String tenant, String mediaId, byte[] bytes) {
    return stored.storeUpload(
        bytes, hash -> new MediaRef(tenant, mediaId, hash, null, "image/png"));
  }

  @Test
  void theLastReferenceTakesTheBytesWithIt() {
    upload("acme", "a1", BYTES);
    upload("acme", "a2", BYTES);
    upload("beta", "b1", BYTES);

    assertThat(stored.forget("acme", "a1")).isTrue();
    assertThat(blobs.exists(HASH)).as("a2 and b1 still reference it").isTrue();
    assertThat(stored.forget("acme", "a2")).isTrue();
    assertThat(refs.holdsBlob("acme", HASH)).isFalse();
    assertThat(refs.holdsBlob("beta", HASH)).isTrue();
    assertThat(blobs.get(HASH))
        .as("beta's copy is the same bytes and stays readable")
        .hasValue(BYTES);

    assertThat(stored.forget("beta", "b1")).isTrue();
    assertThat(blobs.exists(HASH)).isFalse();
  }

  @Test
  void anotherTenantCannotForgetAnItemItDoesNotOwn() {
    upload("acme", "a1", BYTES);

    assertThat(stored.forget("beta", "a1")).isFalse();
    assertThat(blobs.exists(HASH)).isTrue();
    assertThat(refs.find("acme", "a1")).isPresent();
  }

  @Test
  void reUploadingAnItemWithOtherBytesReleasesTheOldOnes() {
    byte[] other = "other bytes".getBytes(StandardCharsets.UTF_8);
    upload("acme", "a1", BYTES);

    upload("acme", "a1", other);

    assertThat(blobs.exists(HASH)).isFalse();
    assertThat(blobs.exists(MediaIds.sha256(other))).isTrue();
  }

  @Test
  void anUploadRefusedForItsIdKeepsNoNewBytesAndLosesNoSharedOnes() {
    byte[] fresh = "fresh bytes".getBytes(StandardCharsets.UTF_8);
    upload("acme", "taken", BYTES);

    assertThat(upload("beta", "taken", fresh)).isEmpty();
    assertThat(blobs.exists(MediaIds.sha256(fresh)))
        .as("nobody references the refused upload's bytes")
        .isFalse();
    assertThat(upload("beta", "taken", BYTES)).isEmpty();
    assertThat(blobs.exists(HASH)).as("acme's item still references these").isTrue();
  }

  /** The gateway dies after the tombstone and the record's removal, before the bytes' removal. */
  @Test
  void aCrashBetweenForgettingTheRecordAndRemovingTheBytesLeavesAnOrphanTheSweepRemoves() {
    upload("acme", "a1", BYTES);
    byte[] kept = "kept bytes".getBytes(StandardCharsets.UTF_8);
    upload("beta", "b1", kept);
    refs.remove("acme", "a1"); // the first half of forget(), then the crash

    assertThat(blobs.exists(HASH)).as("a leftover, not a loss").isTrue();
    assertThat(refs.holdsBlob("acme", HASH))
        .as("already unreadable on the internal route")
        .isFalse();

    StoredMedia restarted =
        new StoredMedia(new LocalBlobStore(dir), new LocalMediaRefs(dir, new ObjectMapper()));
    assertThat(restarted.sweep(Duration.ofHours(1), Instant.now()))
        .as("too fresh: may be an upload in flight")
        .isZero();
    assertThat(restarted.sweep(Duration.ofHours(1), Instant.now().plus(Duration.ofHours(2))))
        .isEqualTo(1);
    assertThat(blobs.exists(HASH)).isFalse();
    assertThat(blobs.get(MediaIds.sha256(kept)))
        .as("a referenced blob is never swept")
        .hasValue(kept);
  }

  /**
   * A record the owner index misses (written by a gateway from before the index) still keeps its
   * bytes.
   */
  @Test
  void theSweepKeepsABlobThatARecordNamesEvenWithoutItsIndexEntry() throws java.io.IOException {
    upload("acme", "a1", BYTES);
    try (java.util.stream.Stream<Path> index =
        java.nio.file.Files.walk(dir.resolve("refs/by-blob"))) {
      index.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    assertThat(stored.sweep(Duration.ZERO, Instant.now().plus(Duration.ofDays(1)))).isZero();
    assertThat(blobs.exists(HASH)).isTrue();
  }

  /**
   * The gateway dies after the tombstone, before anything is forgotten: a retried DELETE finishes.
   */
  @Test
  void aCrashBeforeForgettingLeavesEverythingForTheRetriedDelete() {
    upload("acme", "a1", BYTES);

    assertThat(stored.sweep(Duration.ZERO, Instant.now().plusSeconds(1)))
        .as("still referenced")
        .isZero();
    assertThat(stored.forget("acme", "a1")).isTrue();
    assertThat(blobs.exists(HASH)).isFalse();
    assertThat(stored.forget("acme", "a1")).as("a second retry finds nothing").isFalse();
  }
}
