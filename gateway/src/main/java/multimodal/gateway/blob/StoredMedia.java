package multimodal.gateway.blob;

import io.quarkus.logging.Log;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The blob store and the media records kept consistent: a blob's bytes stay while any item of any
 * tenant is stored as it (the owner index of {@link MediaRefs} is the reference count) and go when
 * the last such item is deleted or re-uploaded with other bytes.
 *
 * <p>Storing bytes and recording the item that references them happen under one lock, and so do
 * forgetting an item and removing bytes nobody references: otherwise a delete could remove a blob
 * between another upload's store (the bytes were already there) and its record, and that upload's
 * event would point at nothing. The lock is this JVM's; gateway replicas that share one blob
 * directory are not covered (the same limit as claiming one new media id, see the README).
 *
 * <p>Crash safety: bytes are removed only after the record that referenced them, so a crash in
 * between leaves an unreferenced blob, never a record without bytes. {@link #sweep} removes such
 * leftovers once they are older than a grace period (a fresh blob may be between its store and its
 * record in another replica).
 */
public class StoredMedia {
  private final BlobStore blobs;
  private final MediaRefs refs;
  private final Object lock = new Object();

  public StoredMedia(BlobStore blobs, MediaRefs refs) {
    this.blobs = blobs;
    this.refs = refs;
  }

  /**
   * Stores uploaded bytes and records the item built for their hash.
   *
   * @return the recorded item, or empty when its media id belongs to another tenant (nothing kept)
   */
  public Optional<MediaRef> storeUpload(byte[] bytes, Function<String, MediaRef> itemForHash) {
    synchronized (lock) {
      return recordLocked(blobs.put(bytes), itemForHash);
    }
  }

  /**
   * As {@link #storeUpload} for an uploaded file (a large audio or video), copied into the store
   * outside the lock (that takes seconds) and stored again under it in the rare case a delete
   * removed the same bytes meanwhile.
   */
  public Optional<MediaRef> storeUploadFile(Path file, Function<String, MediaRef> itemForHash) {
    String hash = blobs.put(file);
    synchronized (lock) {
      if (!blobs.exists(hash)) {
        blobs.put(file);
      }
      return recordLocked(hash, itemForHash);
    }
  }

  private Optional<MediaRef> recordLocked(String hash, Function<String, MediaRef> itemForHash) {
    MediaRef ref = itemForHash.apply(hash);
    if (!claimLocked(ref)) {
      collectIfUnreferenced(hash);
      return Optional.empty();
    }
    return Optional.of(ref);
  }

  /** Records an item (a URL ingest); false when its media id belongs to another tenant. */
  public boolean claim(MediaRef ref) {
    synchronized (lock) {
      return claimLocked(ref);
    }
  }

  /**
   * Forgets the tenant's item and removes its bytes when no other item (of any tenant) is stored as
   * them. Call it after the item's tombstone is on the topic.
   *
   * @return false when the tenant had no such item
   */
  public boolean forget(String tenant, String mediaId) {
    synchronized (lock) {
      Optional<MediaRef> ref = refs.find(tenant, mediaId);
      if (ref.isEmpty() || !refs.remove(tenant, mediaId)) {
        return false;
      }
      if (ref.get().blob() != null) {
        collectIfUnreferenced(ref.get().blob());
      }
      return true;
    }
  }

  /**
   * Removes blobs that no item references and that were last stored before {@code now - grace}:
   * what a crash between forgetting an item and removing its bytes leaves behind.
   *
   * @return how many blobs were removed
   */
  public int sweep(Duration grace, Instant now) {
    Instant before = now.minus(grace);
    // Records written after this read add owner-index markers first, checked under the lock below.
    Set<String> recorded = refs.recordedBlobs();
    int removed = 0;
    for (Map.Entry<String, Instant> blob : blobs.list().entrySet()) {
      if (blob.getValue().isAfter(before) || recorded.contains(blob.getKey())) {
        continue;
      }
      synchronized (lock) {
        if (!refs.referenced(blob.getKey()) && blobs.delete(blob.getKey())) {
          removed++;
        }
      }
    }
    if (removed > 0) {
      Log.infof("blob sweep removed %d unreferenced blob(s) stored before %s", removed, before);
    }
    return removed;
  }

  private boolean claimLocked(MediaRef ref) {
    Optional<String> previousBlob = refs.find(ref.tenant(), ref.mediaId()).map(MediaRef::blob);
    if (!refs.claim(ref)) {
      return false;
    }
    // The item now stores other bytes (or none): its old blob may have lost its last reference.
    previousBlob.filter(old -> !old.equals(ref.blob())).ifPresent(this::collectIfUnreferenced);
    return true;
  }

  private void collectIfUnreferenced(String hash) {
    if (!refs.referenced(hash) && blobs.delete(hash)) {
      Log.debugf("removed blob %s: no item references it any more", hash);
    }
  }
}
