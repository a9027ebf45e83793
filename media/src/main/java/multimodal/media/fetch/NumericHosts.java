package multimodal.media.fetch;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Host names that are numbers in disguise. Resolvers read {@code 2130706433}, {@code 0x7f.1},
 * {@code 017.0.0.1} or {@code 127.1} as 127.0.0.1 (glibc's inet_aton, and the JDK for some of them)
 * and browsers' URL parsers do the same, so a check that took them for names could be fooled. A
 * host whose last label is a number (as the WHATWG URL standard decides it) must therefore be a
 * plain dotted quad; anything else is refused before any lookup.
 */
final class NumericHosts {
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern DOTTED_QUAD = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

  private NumericHosts() {}

  /** Empty for a name or a plain dotted quad; else why the host is refused. */
  static Optional<String> refusal(String host) {
    if (host.indexOf(':') >= 0) {
      return Optional.empty(); // an IPv6 literal, whose last part may be dotted
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String lastLabel = name.substring(name.lastIndexOf('.') + 1);
    if (!NUMERIC_LABEL.matcher(lastLabel).matches() || DOTTED_QUAD.matcher(host).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        "host "
            + host
            + " is an IPv4 address in a non-standard form (decimal, octal, hex, fewer than four"
            + " parts or a trailing dot); write it as four decimal parts, e.g. 192.0.2.1");
  }

  /** A plain dotted quad or an IPv6 literal (which URL parsers hand over without brackets). */
  static boolean isLiteral(String host) {
    return host.indexOf(':') >= 0 || DOTTED_QUAD.matcher(host).matches();
  }
}
