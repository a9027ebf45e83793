package multimodal.retrieval.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This replica's shard: {@code retrieval.shard.index} when set, else the ordinal a StatefulSet puts
 * at the end of its pods' host names ({@code retrieval-service-2} is shard 2), so that one pod
 * template serves every shard. A single shard is shard 0 whatever the host is called.
 */
public final class ShardOrdinal {
  private static final Pattern ORDINAL = Pattern.compile("-(\\d{1,9})$");

  private ShardOrdinal() {}

  /**
   * @param hostname the pod's host name ({@code HOSTNAME}); may be null outside a cluster
   * @throws IllegalArgumentException when several shards are configured and neither an index nor a
   *     host name ending in an ordinal says which one this is
   */
  public static int resolve(Optional<Integer> configured, int count, String hostname) {
    if (configured.isPresent()) {
      return configured.get();
    }
    if (count == 1) {
      return 0;
    }
    Matcher matcher = ORDINAL.matcher(hostname == null ? "" : hostname);
    if (!matcher.find()) {
      throw new IllegalArgumentException(
          "retrieval.shard.count is "
              + count
              + " but retrieval.shard.index is not set and the host name '"
              + hostname
              + "' ends in no StatefulSet ordinal (-0, -1, ...): set retrieval.shard.index");
    }
    return Integer.parseInt(matcher.group(1));
  }
}
