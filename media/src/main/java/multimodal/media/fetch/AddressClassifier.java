package multimodal.media.fetch;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a caller-supplied URL may reach an address: empty for an ordinary public unicast address,
 * else the special-purpose range that forbids it (loopback, private, link-local and cloud metadata,
 * CGNAT, multicast, broadcast, documentation, benchmarking, reserved, IPv6 ULA, ...).
 *
 * <p>IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64,
 * 6to4, Teredo) are as public as every IPv4 address they carry, so {@code ::ffff:127.0.0.1}, {@code
 * 2002:7f00:1::} or {@code 64:ff9b::a00:1} cannot reach what {@code 127.0.0.1} or {@code 10.0.0.1}
 * cannot. Any other IPv6 address must be global unicast (2000::/3) outside the listed blocks.
 * docs/security.md lists every range with its RFC and the reason.
 *
 * <p>The range math (parsing the blocks, containment) is the ipaddress library's; the byte offsets
 * at which each IPv6 form carries its IPv4 address are the RFCs' and are written out here.
 */
public final class AddressClassifier {
  private AddressClassifier() {}

  /** A special-purpose block, named for refusals. */
  record Range(IPAddress block, String text) {
    static Range of(String cidr, String name, String rfc) {
      IPAddress block = new IPAddressString(cidr).getAddress().toPrefixBlock();
      return new Range(block, name + " " + cidr + " (" + rfc + ")");
    }

    boolean contains(IPAddress address) {
      return block.contains(address);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** An IPv6 form that carries IPv4 addresses, and where they sit in its 16 bytes. */
  record Embedding(Range range, Function<byte[], List<IPv4Address>> carried) {}

  static final List<Range> IPV4 =
      List.of(
          Range.of("0.0.0.0/8", "\"this network\"", "RFC 1122"),
          Range.of("10.0.0.0/8", "private-use", "RFC 1918"),
          Range.of("100.64.0.0/10", "shared address space (CGNAT)", "RFC 6598"),
          Range.of("127.0.0.0/8", "loopback", "RFC 1122"),
          Range.of("169.254.0.0/16", "link-local (cloud metadata)", "RFC 3927"),
          Range.of("172.16.0.0/12", "private-use", "RFC 1918"),
          Range.of("192.0.0.0/24", "IETF protocol assignments", "RFC 6890"),
          Range.of("192.0.2.0/24", "documentation (TEST-NET-1)", "RFC 5737"),
          Range.of("192.88.99.0/24", "6to4 relay anycast", "RFC 7526"),
          Range.of("192.168.0.0/16", "private-use", "RFC 1918"),
          Range.of("198.18.0.0/15", "benchmarking", "RFC 2544"),
          Range.of("198.51.100.0/24", "documentation (TEST-NET-2)", "RFC 5737"),
          Range.of("203.0.113.0/24", "documentation (TEST-NET-3)", "RFC 5737"),
          Range.of("224.0.0.0/4", "multicast", "RFC 5771"),
          Range.of("255.255.255.255/32", "limited broadcast", "RFC 919"),
          Range.of("240.0.0.0/4", "reserved", "RFC 1112"));

  /** Checked before the embeddings: {@code ::} and {@code ::1} also fall inside ::/96. */
  static final List<Range> IPV6_EXACT =
      List.of(
          Range.of("::/128", "unspecified", "RFC 4291"),
          Range.of("::1/128", "loopback", "RFC 4291"));

  /** Where most forms keep the IPv4 address: the last 32 bits. */
  private static final Function<byte[], List<IPv4Address>> LAST_32_BITS =
      b -> List.of(v4(b, 12, 13, 14, 15));

  static final List<Embedding> EMBEDDINGS =
      List.of(
          new Embedding(Range.of("::ffff:0:0/96", "IPv4-mapped", "RFC 4291"), LAST_32_BITS),
          new Embedding(Range.of("::/96", "IPv4-compatible", "RFC 4291"), LAST_32_BITS),
          new Embedding(Range.of("::ffff:0:0:0/96", "IPv4-translated", "RFC 2765"), LAST_32_BITS),
          new Embedding(
              Range.of("64:ff9b::/96", "NAT64 well-known prefix", "RFC 6052"), LAST_32_BITS),
          // Read as a /96 prefix (the address in the last 32 bits), the layout DNS64 synthesises
          // with
          // a /96; RFC 6052's shorter layouts would read the operator's subnet bits as an address.
          new Embedding(
              Range.of("64:ff9b:1::/48", "NAT64 local-use prefix", "RFC 8215"), LAST_32_BITS),
          // Server at bytes 4-7; client at 12-15, stored with every bit inverted (RFC 4380 section
          // 4).
          new Embedding(
              Range.of("2001::/32", "Teredo", "RFC 4380"),
              b -> List.of(v4(b, 4, 5, 6, 7), inverted(v4(b, 12, 13, 14, 15)))),
          new Embedding(
              Range.of("2002::/16", "6to4", "RFC 3056"), b -> List.of(v4(b, 2, 3, 4, 5))));

  static final List<Range> IPV6 =
      List.of(
          Range.of("100::/64", "discard-only", "RFC 6666"),
          Range.of(
              "2001::/23",
              "IETF protocol assignments (incl. benchmarking 2001:2::/48)",
              "RFC 2928"),
          Range.of("2001:db8::/32", "documentation", "RFC 3849"),
          Range.of("3fff::/20", "documentation", "RFC 9637"),
          Range.of("5f00::/16", "segment routing (SRv6) SIDs", "RFC 9602"),
          Range.of("fc00::/7", "unique local (ULA, e.g. fd00:ec2::254 cloud metadata)", "RFC 4193"),
          Range.of("fe80::/10", "link-local", "RFC 4291"),
          Range.of("fec0::/10", "site-local (deprecated)", "RFC 3879"),
          Range.of("ff00::/8", "multicast", "RFC 4291"));

  private static final Range GLOBAL_UNICAST = Range.of("2000::/3", "global unicast", "RFC 4291");

  /** Empty when a caller-supplied URL may reach {@code address}; else what forbids it. */
  public static Optional<String> refusal(InetAddress address) {
    byte[] bytes = address.getAddress();
    return address instanceof Inet4Address
        ? refusal(new IPv4Address(bytes))
        : refusal(new IPv6Address(bytes));
  }

  private static Optional<String> refusal(IPv4Address address) {
    return firstContaining(IPV4, address);
  }

  private static Optional<String> refusal(IPv6Address address) {
    Optional<String> exact = firstContaining(IPV6_EXACT, address);
    if (exact.isPresent()) {
      return exact;
    }
    for (Embedding embedding : EMBEDDINGS) {
      if (embedding.range().contains(address)) {
        return carriedRefusal(embedding, address.getBytes());
      }
    }
    Optional<String> listed = firstContaining(IPV6, address);
    if (listed.isPresent() || GLOBAL_UNICAST.contains(address)) {
      return listed;
    }
    return Optional.of("not global unicast: outside " + GLOBAL_UNICAST);
  }

  private static Optional<String> carriedRefusal(Embedding embedding, byte[] bytes) {
    for (IPv4Address carried : embedding.carried().apply(bytes)) {
      Optional<String> refusal = refusal(carried);
      if (refusal.isPresent()) {
        return Optional.of(
            embedding.range() + " carrying " + carried + ", which is " + refusal.get());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> firstContaining(List<Range> ranges, IPAddress address) {
    return ranges.stream()
        .filter(range -> range.contains(address))
        .findFirst()
        .map(Range::toString);
  }

  private static IPv4Address v4(byte[] bytes, int... indexes) {
    byte[] picked = new byte[4];
    for (int i = 0; i < 4; i++) {
      picked[i] = bytes[indexes[i]];
    }
    return new IPv4Address(picked);
  }

  private static IPv4Address inverted(IPv4Address address) {
    return new IPv4Address(~address.intValue());
  }
}
