package multimodal.media.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses. The fetcher asks once per hop, checks every answer, and then
 * connects only to those addresses, so a second, different answer (DNS rebinding) never reaches the
 * connection. Injectable so tests can play a rebinding resolver.
 */
@FunctionalInterface
interface HostResolver {
  /** The system resolver (hosts file, DNS). */
  HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  /**
   * @throws UnknownHostException when the name has no address
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
