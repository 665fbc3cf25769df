package dev.berth.reconciler.model;

/** Where a container's root comes from: exactly one of the three is set. */
public record Image(NixosImage nixos, TarballImage tarball, DirectoryImage directory) {

  /**
   * A Nix file in the repository whose build is a NixOS toplevel; {@code mountDaemonSocket} also
   * gives the container the host's Nix daemon (its socket, and its database read-only).
   */
  public record NixosImage(String file, String attr, Boolean mountDaemonSocket) {
    public NixosImage {
      mountDaemonSocket = mountDaemonSocket != null && mountDaemonSocket;
    }

    public NixosImage(String file, String attr) {
      this(file, attr, false);
    }
  }

  /** A root tree as a tarball with its mandatory sha256, unpacked once. */
  public record TarballImage(String url, String sha256) {}

  /** An existing root tree on the host. */
  public record DirectoryImage(String path) {}

  public boolean isNixos() {
    return nixos != null;
  }
}
