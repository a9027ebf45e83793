package multimodal.gateway.blob;

import java.util.Optional;
import java.util.Set;

/**
 * Which tenant owns which media id, and where its bytes are. Media ids are global keys on the
 * topics and in the index, so a tenant may not take over an id another tenant holds.
 */
public interface MediaRefs {
  /** Records the item for its tenant; false (nothing written) when another tenant owns the id. */
  boolean claim(MediaRef ref);

  /** The item when it belongs to the tenant; empty when unknown or another tenant's. */
  Optional<MediaRef> find(String tenant, String mediaId);

  /** True when the id is held by a tenant other than this one. */
  boolean ownedByOther(String tenant, String mediaId);

  /**
   * True while one of the tenant's items is stored as this blob: what entitles the tenant to read
   * it on the internal route (a delete of its last such item ends that).
   */
  boolean holdsBlob(String tenant, String sha256);

  /** True while any item of any tenant is stored as this blob: the blob's bytes must stay. */
  boolean referenced(String sha256);

  /**
   * Every blob some record names, read from the records themselves rather than the owner index:
   * what the orphan sweep keeps even should the index miss a record (one written by an older
   * gateway).
   */
  Set<String> recordedBlobs();

  /** Forgets the tenant's item (after its delete); false when it had none. */
  boolean remove(String tenant, String mediaId);
}
