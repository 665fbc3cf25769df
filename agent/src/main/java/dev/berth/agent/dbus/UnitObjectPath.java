package dev.berth.agent.dbus;

/**
 * The object path of a unit on systemd's bus, escaped as systemd's {@code bus_label_escape} does:
 * every byte but an ASCII letter, or a digit after the first, becomes {@code _} and two hex digits
 * ("-" is {@code _2d}, "@" {@code _40}, "." {@code _2e}).
 */
final class UnitObjectPath {
  private static final String UNITS = "/org/freedesktop/systemd1/unit/";

  private UnitObjectPath() {}

  /** {@code /org/freedesktop/systemd1/unit/} and the escaped {@code unit}. */
  static String of(String unit) {
    return UNITS + escape(unit);
  }

  private static String escape(String label) {
    if (label.isEmpty()) {
      return "_";
    }
    StringBuilder out = new StringBuilder(label.length() + 16);
    byte[] bytes = label.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean letter = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
      boolean digit = b >= '0' && b <= '9';
      if (letter || (digit && i > 0)) {
        out.append((char) b);
      } else {
        out.append('_')
            .append(Character.forDigit(b >> 4, 16))
            .append(Character.forDigit(b & 15, 16));
      }
    }
    return out.toString();
  }
}
