package dev.berth.reconciler.model;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The name the kernel gets for an interface that systemd-nspawn names ({@code ve-NAME}, {@code
 * vb-NAME}, {@code mv-PARENT}): Linux allows 15 bytes, and nspawn shortens longer names. Since
 * systemd 250 (naming scheme {@code v250}, the default since) it keeps the first 11 bytes and
 * appends 4 characters of a SipHash of the whole name; older schemes cut the name at 15 bytes.
 */
public final class InterfaceName {
  /** Linux interface names: 15 bytes plus the terminating NUL (IFNAMSIZ). */
  public static final int MAX_BYTES = 15;

  /** systemd's {@code SHORTEN_IFNAME_HASH_KEY} (src/shared/netif-util.c). */
  private static final byte[] HASH_KEY = {
    (byte) 0xe1,
    (byte) 0x90,
    (byte) 0xa4,
    0x04,
    (byte) 0xa8,
    (byte) 0xef,
    0x4b,
    0x51,
    (byte) 0x8c,
    (byte) 0xcc,
    (byte) 0xc3,
    0x3a,
    (byte) 0x9f,
    0x11,
    (byte) 0xfc,
    (byte) 0xa2
  };

  private static final String URLSAFE_BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private InterfaceName() {}

  public static boolean fits(String name) {
    return name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
  }

  /** The name under systemd's current naming scheme: itself if it fits, else hashed. */
  public static String shortened(String name) {
    if (fits(name)) {
      return name;
    }
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    long hash = SipHash24.hash(HASH_KEY, bytes);
    StringBuilder out =
        new StringBuilder(new String(bytes, 0, MAX_BYTES - 4, StandardCharsets.UTF_8));
    for (int shift : new int[] {18, 12, 6, 0}) {
      out.append(URLSAFE_BASE64.charAt((int) (hash >>> shift) & 63));
    }
    return out.toString();
  }

  /** The name cut at 15 bytes, as naming schemes before v250 (and systemd before 250) do. */
  public static String truncated(String name) {
    return fits(name)
        ? name
        : new String(name.getBytes(StandardCharsets.UTF_8), 0, MAX_BYTES, StandardCharsets.UTF_8);
  }

  /** Every name the interface may get on a host, for a networkd {@code Name=} match. */
  public static List<String> candidates(String name) {
    return fits(name) ? List.of(name) : List.of(shortened(name), truncated(name));
  }
}
