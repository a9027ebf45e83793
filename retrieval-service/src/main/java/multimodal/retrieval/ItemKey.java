package multimodal.retrieval;

import java.util.Objects;

/**
 * The identity of an item in the index: its tenant and its media id. Media ids are the producers'
 * names and are not unique across tenants, so two tenants may use the same id; every document,
 * lookup and delete goes by both parts, and an event of one tenant never reaches another's item.
 */
public record ItemKey(String tenant, String mediaId) {
  // U+001F (unit separator) is outside the tenant grammar, so "tenant␟id" splits one way only.
  private static final char SEP = '\u001f';

  public ItemKey {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(mediaId, "mediaId");
  }

  /**
   * The key of the item a change belongs to; a change without a tenant belongs to {@code
   * defaultTenant}.
   */
  public static ItemKey of(IndexChange change, String defaultTenant) {
    String tenant = change.tenant();
    return new ItemKey(
        tenant == null || tenant.isBlank() ? defaultTenant : tenant, change.mediaId());
  }

  /** The single term that identifies the item's Lucene document. */
  public String term() {
    return tenant + SEP + mediaId;
  }

  @Override
  public String toString() {
    return tenant + "/" + mediaId;
  }
}
