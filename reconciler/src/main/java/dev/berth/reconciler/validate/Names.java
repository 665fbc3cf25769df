package dev.berth.reconciler.validate;

import java.util.regex.Pattern;

/** The naming rules of machines, zones and interfaces. */
public final class Names {
  /** Linux interface names: 15 bytes plus the terminating NUL (IFNAMSIZ). */
  public static final int MAX_IFNAME = 15;

  public static final int MAX_CONTAINER_NAME = 64;

  /**
   * Above this, {@code ve-NAME} and {@code vb-NAME} no longer fit comfortably in an interface name.
   */
  public static final int CONTAINER_NAME_WARNING = 11;

  public static final int MAX_ZONE_NAME = MAX_IFNAME - "vz-".length();

  private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern IFNAME = Pattern.compile("^[A-Za-z0-9_.@-]{1,15}$");

  private Names() {}

  public static boolean isDnsLabel(String name) {
    return name != null && DNS_LABEL.matcher(name).matches();
  }

  public static boolean isInterfaceName(String name) {
    return name != null
        && IFNAME.matcher(name).matches()
        && !name.equals(".")
        && !name.equals("..");
  }
}
