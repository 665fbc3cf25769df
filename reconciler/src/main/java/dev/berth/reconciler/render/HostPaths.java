package dev.berth.reconciler.render;

import dev.berth.reconciler.model.Container;

/** Where berth's files live on a host, relative to its root. */
public final class HostPaths {
  public static final String NSPAWN_DIR = "etc/systemd/nspawn";
  public static final String NETWORK_DIR = "etc/systemd/network";
  public static final String UNIT_DIR = "etc/systemd/system";
  public static final String MACHINES_DIR = "var/lib/machines";
  public static final String DROP_IN_NAME = "50-berth.conf";

  private HostPaths() {}

  public static String nspawn(String name) {
    return NSPAWN_DIR + "/" + name + ".nspawn";
  }

  public static String unit(String name) {
    return "systemd-nspawn@" + name + ".service";
  }

  public static String dropIn(String name) {
    return UNIT_DIR + "/" + unit(name) + ".d/" + DROP_IN_NAME;
  }

  public static String vethNetwork(String name) {
    return NETWORK_DIR + "/20-berth-ve-" + name + ".network";
  }

  public static String zoneNetwork(String zone) {
    return NETWORK_DIR + "/20-berth-vz-" + zone + ".network";
  }

  /**
   * The container's root tree relative to the host root: a directory image's path, otherwise its
   * state directory under /var/lib/machines.
   */
  public static String rootDir(Container container) {
    var directory = container.spec().image().directory();
    return directory != null ? directory.path().substring(1) : stateDir(container.name());
  }

  public static String stateDir(String name) {
    return MACHINES_DIR + "/" + name;
  }

  /**
   * The container's own networkd file, inside the tree at {@code rootDir} (relative to the root).
   */
  public static String host0Network(String rootDir) {
    return rootDir + "/etc/systemd/network/20-berth-host0.network";
  }
}
