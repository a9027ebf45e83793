package multimodal.retrieval.config;

import java.util.Optional;
import java.util.function.Supplier;
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
   * This machine's host name: {@code HOSTNAME} (a pod's name, set by the container runtime), else
   * what the resolver says; null when neither is known.
   */
  public static String hostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  /**
   * @param hostname the pod's host name ({@link #hostname()}), asked only when needed; may give
   *     null outside a cluster
   * @throws IllegalArgumentException when several shards are configured and neither an index nor a
   *     host name ending in an ordinal says which one this is
   */
  public static int resolve(Optional<Integer> configured, int count, Supplier<String> hostname) {
    if (configured.isPresent()) {
      return configured.get();
    }
    if (count == 1) {
      return 0;
    }
    String host = hostname.get();
    Matcher matcher = ORDINAL.matcher(host == null ? "" : host);
    if (!matcher.find()) {
      throw new IllegalArgumentException(
          "retrieval.shard.count is "
              + count
              + " but retrieval.shard.index is not set and the host name '"
              + host
              + "' ends in no StatefulSet ordinal (-0, -1, ...): set retrieval.shard.index");
    }
    return Integer.parseInt(matcher.group(1));
  }
}
