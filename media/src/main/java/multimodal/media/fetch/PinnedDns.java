package multimodal.media.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Dns;

/**
 * OkHttp's name lookup for one request: the host that was checked gets exactly the addresses that
 * were checked; any other name is unknown, so a parser that saw a different host fails closed. TLS
 * still uses the URL's host for SNI and certificate verification, and the Host header keeps it.
 */
record PinnedDns(String host, List<InetAddress> addresses) implements Dns {
  PinnedDns {
    addresses = List.copyOf(addresses);
  }

  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    if (!hostname.equals(host)) {
      throw new UnknownHostException(hostname + " was not checked (only " + host + " was)");
    }
    return addresses;
  }
}
