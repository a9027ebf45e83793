package multimodal.media.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddressString;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressClassifierTest {

  /** Each special-purpose range with an address inside it, and the range the refusal must name. */
  @ParameterizedTest(name = "{0} is in {1}")
  @CsvSource({
    "0.0.0.0, 0.0.0.0/8",
    "0.1.2.3, 0.0.0.0/8",
    "10.0.0.1, 10.0.0.0/8",
    "10.255.255.255, 10.0.0.0/8",
    "100.64.0.1, 100.64.0.0/10",
    "100.127.255.254, 100.64.0.0/10",
    "127.0.0.1, 127.0.0.0/8",
    "127.255.255.254, 127.0.0.0/8",
    "169.254.169.254, 169.254.0.0/16",
    "172.16.0.1, 172.16.0.0/12",
    "172.31.255.255, 172.16.0.0/12",
    "192.0.0.170, 192.0.0.0/24",
    "192.0.2.1, 192.0.2.0/24",
    "192.88.99.1, 192.88.99.0/24",
    "192.168.1.1, 192.168.0.0/16",
    "198.18.0.1, 198.18.0.0/15",
    "198.19.255.255, 198.18.0.0/15",
    "198.51.100.7, 198.51.100.0/24",
    "203.0.113.9, 203.0.113.0/24",
    "224.0.0.1, 224.0.0.0/4",
    "239.255.255.250, 224.0.0.0/4",
    "255.255.255.255, 255.255.255.255/32",
    "240.0.0.1, 240.0.0.0/4",
    "::, ::/128",
    "::1, ::1/128",
    "100::1, 100::/64",
    "2001:2::1, 2001::/23",
    "2001:20::1, 2001::/23",
    "2001:db8::1, 2001:db8::/32",
    "3fff::1, 3fff::/20",
    "5f00::1, 5f00::/16",
    "fc00::1, fc00::/7",
    "fd00:ec2::254, fc00::/7",
    "fe80::1, fe80::/10",
    "febf:ffff::1, fe80::/10",
    "fec0::1, fec0::/10",
    "ff02::1, ff00::/8",
    "1::1, 2000::/3",
    "4000::1, 2000::/3"
  })
  void refusesEverySpecialPurposeRange(String address, String range) throws UnknownHostException {
    assertThat(AddressClassifier.refusal(InetAddress.getByName(address)))
        .hasValueSatisfying(reason -> assertThat(reason).contains(range));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "93.184.215.14",
        "1.1.1.1",
        "9.255.255.255",
        "11.0.0.0",
        "100.63.255.255",
        "100.128.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "192.0.1.255",
        "192.169.0.0",
        "198.17.255.255",
        "198.20.0.0",
        "223.255.255.255",
        "2606:4700:4700::1111",
        "2001:200::1",
        "2a00:1450:4001:80b::200e",
        "2003::1"
      })
  void acceptsOrdinaryPublicAddresses(String address) throws UnknownHostException {
    assertThat(AddressClassifier.refusal(InetAddress.getByName(address))).isEmpty();
  }

  /**
   * Each IPv6 form that carries an IPv4 address: refused for a private one, accepted for a public
   * one.
   */
  @ParameterizedTest(name = "{0} carries {2}")
  @CsvSource({
    // form, address carrying a private IPv4, that IPv4's range, address carrying a public IPv4
    "::ffff:0:0/96,    ::ffff:127.0.0.1,              127.0.0.0/8,     ::ffff:8.8.8.8",
    "::/96,            ::10.0.0.1,                    10.0.0.0/8,      ::8.8.8.8",
    "::ffff:0:0:0/96,  ::ffff:0:192.168.0.1,          192.168.0.0/16,  ::ffff:0:8.8.8.8",
    "64:ff9b::/96,     64:ff9b::169.254.169.254,      169.254.0.0/16,  64:ff9b::8.8.8.8",
    "64:ff9b:1::/48,   64:ff9b:1::10.1.2.3,           10.0.0.0/8,      64:ff9b:1::8.8.8.8",
    "2002::/16,        2002:c0a8:101::1,              192.168.0.0/16,  2002:808:808::1",
    "2001::/32,        2001:0:808:808::80ff:fffe,     127.0.0.0/8,     2001:0:808:808::f7f7:fbfb",
    "2001::/32,        2001:0:a00:1::f7f7:fbfb,       10.0.0.0/8,      2001:0:808:404::f7f7:fbfb"
  })
  void checksTheIpv4AddressThatAnIpv6FormCarries(
      String form, String carryingPrivate, String privateRange, String carryingPublic)
      throws UnknownHostException {
    assertThat(AddressClassifier.refusal(ipv6(carryingPrivate)))
        .hasValueSatisfying(
            reason ->
                assertThat(reason)
                    .contains(form + " ")
                    .contains("carrying")
                    .contains(privateRange));
    assertThat(AddressClassifier.refusal(ipv6(carryingPublic))).isEmpty();
  }

  /**
   * Teredo stores the client inverted: 2001:0:808:808::7f00:1 carries 128.255.255.254 (public), and
   * 2001:0:808:808::80ff:fffe carries 127.0.0.1. A reader that forgot the inversion would swap the
   * two verdicts.
   */
  @Test
  void readsTheTeredoClientInverted() throws UnknownHostException {
    assertThat(AddressClassifier.refusal(ipv6("2001:0:808:808::7f00:1"))).isEmpty();
    assertThat(AddressClassifier.refusal(ipv6("2001:0:808:808::80ff:fffe")))
        .hasValueSatisfying(reason -> assertThat(reason).contains("carrying 127.0.0.1"));
  }

  /** Kept as IPv6: InetAddress.getByName would turn ::ffff:a.b.c.d into an IPv4 address itself. */
  private static InetAddress ipv6(String literal) throws UnknownHostException {
    return Inet6Address.getByAddress(
        null, new IPAddressString(literal).getAddress().getBytes(), -1);
  }
}
