package dev.berth.reconciler.render;

import dev.berth.reconciler.model.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * An RFC 4193 unique local /64 derived from a name ({@code fdXX:XXXX:XXXX:XXXX::/64}, the host's
 * address {@code ::1} in it): the 40-bit global ID and the 16-bit subnet ID are the first bytes of
 * a SHA-256 of the name, so the prefix is stable across restarts and renders.
 */
record UlaPrefix(String prefix, String hostAddress) {

  /** The prefix for {@code name} of {@code kind} ("container", "zone"). */
  static UlaPrefix of(String kind, String name) {
    byte[] digest;
    try {
      digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("berth " + kind + " " + name).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    byte[] address = new byte[16];
    address[0] = (byte) 0xfd;
    System.arraycopy(digest, 0, address, 1, 7);
    String prefix = text(address) + "/64";
    address[15] = 1;
    return new UlaPrefix(prefix, text(address) + "/64");
  }

  /** The network of an address with its prefix length, as {@code PREFIX/LEN}. */
  static String network(Cidr cidr) {
    byte[] address = cidr.address().getAddress();
    byte[] network = new byte[address.length];
    for (int bit = 0; bit < cidr.prefixLength(); bit++) {
      network[bit / 8] |= (byte) (address[bit / 8] & (0x80 >> (bit % 8)));
    }
    return text(network) + "/" + cidr.prefixLength();
  }

  /** For a pool written as a prefix ({@code fd00:1::/64}): its first host address, {@code ::1}. */
  static String firstHost(String pool) {
    Cidr cidr = Cidr.parse(pool, true).orElseThrow();
    String network = network(cidr);
    byte[] host = Cidr.parse(network, true).orElseThrow().address().getAddress();
    host[host.length - 1] |= 1;
    return text(host) + "/" + cidr.prefixLength();
  }

  private static String text(byte[] address) {
    try {
      return compress(InetAddress.getByAddress(address).getHostAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Java writes every group ({@code fd00:0:0:0:0:0:0:1}); files and people expect {@code ::}. */
  private static String compress(String full) {
    String[] groups = full.split(":");
    int bestStart = -1;
    int bestLength = 0;
    for (int i = 0; i < groups.length; ) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLength && j - i > 1) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    if (bestStart < 0) {
      return full;
    }
    String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
    String tail =
        String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    return head + "::" + tail;
  }
}
