package dev.berth.agent.dbus;

import java.util.HexFormat;
import java.util.List;

/**
 * A unit's {@code InvocationID} (systemd's {@code ay} of 16 bytes, one per run of the unit) as the
 * 32 lowercase hex digits that the journal's {@code _SYSTEMD_INVOCATION_ID} field holds.
 */
final class InvocationId {
  private static final int BYTES = 16;

  private InvocationId() {}

  /**
   * The hex of a property value as dbus-java gives an {@code ay} ({@code byte[]} or a list of
   * bytes); empty for a unit that never ran (systemd's empty array, or all zeros) or a value of
   * another shape.
   */
  static String hex(Object value) {
    byte[] bytes = bytes(value);
    if (bytes.length != BYTES || allZero(bytes)) {
      return "";
    }
    return HexFormat.of().formatHex(bytes);
  }

  private static byte[] bytes(Object value) {
    if (value instanceof byte[] array) {
      return array;
    }
    if (value instanceof List<?> list && list.stream().allMatch(Byte.class::isInstance)) {
      byte[] array = new byte[list.size()];
      for (int i = 0; i < array.length; i++) {
        array[i] = (Byte) list.get(i);
      }
      return array;
    }
    return new byte[0];
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
