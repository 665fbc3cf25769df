package dev.berth.reconciler.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IP address with an optional prefix length, parsed without ever asking DNS. */
public record Cidr(InetAddress address, int prefixLength) {
  private static final Pattern V4 =
      Pattern.compile(
          "^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
  private static final Pattern V6_CHARS = Pattern.compile("^[0-9a-fA-F:.]+$");
  private static final Pattern PREFIX_LENGTH = Pattern.compile("\\d{1,3}");

  /**
   * Parses {@code ADDRESS/LEN}; with {@code prefixRequired} false a bare address is accepted too.
   */
  public static Optional<Cidr> parse(String text, boolean prefixRequired) {
    if (text == null) {
      return Optional.empty();
    }
    int slash = text.indexOf('/');
    if (slash < 0 && prefixRequired) {
      return Optional.empty();
    }
    String host = slash < 0 ? text : text.substring(0, slash);
    Optional<InetAddress> address = parseAddress(host);
    if (address.isEmpty()) {
      return Optional.empty();
    }
    int max = address.get() instanceof Inet4Address ? 32 : 128;
    int length = max;
    if (slash >= 0) {
      String digits = text.substring(slash + 1);
      if (!PREFIX_LENGTH.matcher(digits).matches()) {
        return Optional.empty();
      }
      length = Integer.parseInt(digits);
      if (length > max) {
        return Optional.empty();
      }
    }
    return Optional.of(new Cidr(address.get(), length));
  }

  /** Parses an IPv4 or IPv6 literal; never resolves a name. */
  public static Optional<InetAddress> parseAddress(String text) {
    try {
      if (V4.matcher(text).matches()) {
        return Optional.of(InetAddress.getByName(text));
      }
      // With a colon and only hex digits, colons and dots, InetAddress takes it as a literal.
      if (text.indexOf(':') >= 0 && V6_CHARS.matcher(text).matches()) {
        return Optional.of(InetAddress.getByName(text));
      }
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  public boolean isV4() {
    return address instanceof Inet4Address;
  }

  public boolean isV6() {
    return address instanceof Inet6Address;
  }

  /** The address alone, in the canonical text form. */
  public String host() {
    return address.getHostAddress();
  }

  /** The address part of {@code ADDRESS/LEN} text as written, for files and messages. */
  public static String hostPart(String text) {
    int slash = text.indexOf('/');
    return slash < 0 ? text : text.substring(0, slash);
  }
}
