package dev.berth.reconciler.model;

/** Where a container's root comes from: exactly one of the three is set. */
public record Image(NixosImage nixos, TarballImage tarball, DirectoryImage directory) {

  /** A Nix file in the repository whose build is a NixOS toplevel. */
  public record NixosImage(String file, String attr) {}

  /** A root tree as a tarball with its mandatory sha256, unpacked once. */
  public record TarballImage(String url, String sha256) {}

  /** An existing root tree on the host. */
  public record DirectoryImage(String path) {}

  public boolean isNixos() {
    return nixos != null;
  }
}
