package dev.berth.reconciler.render;

import dev.berth.reconciler.model.Container;
import java.util.List;
import java.util.Optional;

/** Where berth's files live on a host, relative to its root. */
public final class HostPaths {
  public static final String NSPAWN_DIR = "etc/systemd/nspawn";
  public static final String NETWORK_DIR = "etc/systemd/network";
  public static final String UNIT_DIR = "etc/systemd/system";
  public static final String MACHINES_DIR = "var/lib/machines";
  public static final String DROP_IN_NAME = "50-berth.conf";

  /** The Nix store, bound read-only into every NixOS container (RFC 0108), absolute. */
  public static final String NIX_STORE = "/nix/store";

  /** How the names of berth's networkd files in {@link #NETWORK_DIR} start and end. */
  private static final String NETWORK_PREFIX = "20-berth-";

  private static final String NETWORK_SUFFIX = ".network";

  private static final String VETH_PREFIX = NETWORK_PREFIX + "ve-";
  private static final String ZONE_PREFIX = NETWORK_PREFIX + "vz-";

  /** The container's own networkd file, relative to its root tree. */
  public static final String HOST0_NETWORK =
      NETWORK_DIR + "/" + NETWORK_PREFIX + "host0" + NETWORK_SUFFIX;

  /**
   * Where berth installs the sealed credentials of its containers, one directory per container
   * (mode 0700, each file 0600): berth's own, so that its files are told apart from an operator's
   * in systemd's {@code /etc/credstore.encrypted}, two containers may use one ID, and removing a
   * container removes its directory. The unit names each file by its absolute path.
   */
  public static final String CREDENTIALS_DIR = "var/lib/berth/credentials";

  /** The suffix of a sealed credential's file, as systemd-creds users name them. */
  public static final String CREDENTIAL_SUFFIX = ".cred";

  private static final String STAGED_SUFFIX = ".berth-next";
  private static final String PREVIOUS_SUFFIX = ".berth-previous";

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
    return NETWORK_DIR + "/" + VETH_PREFIX + name + NETWORK_SUFFIX;
  }

  public static String zoneNetwork(String zone) {
    return NETWORK_DIR + "/" + ZONE_PREFIX + zone + NETWORK_SUFFIX;
  }

  /** The zone whose networkd file in {@link #NETWORK_DIR} is named {@code fileName}, if any. */
  public static Optional<String> zoneOfNetworkFile(String fileName) {
    return between(fileName, ZONE_PREFIX, NETWORK_SUFFIX);
  }

  /** The container whose veth's networkd file in {@link #NETWORK_DIR} is {@code fileName}. */
  public static Optional<String> containerOfVethNetworkFile(String fileName) {
    return between(fileName, VETH_PREFIX, NETWORK_SUFFIX);
  }

  private static Optional<String> between(String name, String prefix, String suffix) {
    return name.length() > prefix.length() + suffix.length()
            && name.startsWith(prefix)
            && name.endsWith(suffix)
        ? Optional.of(name.substring(prefix.length(), name.length() - suffix.length()))
        : Optional.empty();
  }

  /** Whether a file name in {@link #NETWORK_DIR} is one of berth's (a veth's or a zone's). */
  public static boolean isNetworkFileName(String name) {
    return name.startsWith(NETWORK_PREFIX) && name.endsWith(NETWORK_SUFFIX);
  }

  /**
   * The container's root tree relative to the host root: a directory image's path, otherwise its
   * state directory under /var/lib/machines.
   */
  public static String rootDir(Container container) {
    var directory = container.spec().image().directory();
    return directory != null ? directory.path().substring(1) : stateDir(container.name());
  }

  /**
   * The unit and network files a container may have on a host, whose root tree is at {@code
   * rootDir}: those its removal deletes when they carry berth's marker (its sealed credentials are
   * in {@link #credentialsDir}).
   */
  public static List<String> containerFiles(String name, String rootDir) {
    return List.of(nspawn(name), dropIn(name), vethNetwork(name), host0Network(rootDir));
  }

  /** The directory of a container's sealed credentials. */
  public static String credentialsDir(String name) {
    return CREDENTIALS_DIR + "/" + name;
  }

  /** The file of the container's sealed credential {@code id}. */
  public static String credential(String name, String id) {
    return credentialsDir(name) + "/" + id + CREDENTIAL_SUFFIX;
  }

  /** Whether {@code path} is a sealed credential's file or directory, kept from other users. */
  public static boolean isCredential(String path) {
    return path.equals(CREDENTIALS_DIR) || path.startsWith(CREDENTIALS_DIR + "/");
  }

  public static String stateDir(String name) {
    return MACHINES_DIR + "/" + name;
  }

  /**
   * Where an image upgrade unpacks a container's new root, beside its current one, until the
   * restart swaps it in. A dot name: {@code machinectl list-images} does not list it as a machine.
   */
  public static String stagedRoot(String name) {
    return MACHINES_DIR + "/." + name + STAGED_SUFFIX;
  }

  /** The root an image upgrade replaced, kept until the new one is proven good. */
  public static String previousRoot(String name) {
    return MACHINES_DIR + "/." + name + PREVIOUS_SUFFIX;
  }

  /**
   * The container a directory directly under /var/lib/machines belongs to: {@code NAME} for its
   * root, its staged root and its previous root alike.
   */
  public static String machineOfTree(String directory) {
    for (String suffix : new String[] {STAGED_SUFFIX, PREVIOUS_SUFFIX}) {
      if (directory.startsWith(".") && directory.endsWith(suffix)) {
        return directory.substring(1, directory.length() - suffix.length());
      }
    }
    return directory;
  }

  /**
   * The container's own networkd file, inside the tree at {@code rootDir} (relative to the root).
   */
  public static String host0Network(String rootDir) {
    return rootDir + "/" + HOST0_NETWORK;
  }
}
