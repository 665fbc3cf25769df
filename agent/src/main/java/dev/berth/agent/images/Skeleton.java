package dev.berth.agent.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * RFC 0108's bootstrap: what systemd-nspawn expects of a root before it boots it ({@code
 * etc/os-release}, {@code etc/machine-id}, {@code var}), created empty where missing and never
 * overwritten.
 */
final class Skeleton {
  private Skeleton() {}

  static void complete(Path root) throws IOException {
    Path etc = root.resolve("etc");
    if (!Files.exists(etc, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(etc);
    }
    for (String file : new String[] {"os-release", "machine-id"}) {
      Path path = etc.resolve(file);
      // A symlink (usr/lib/os-release, say) counts as present: it is the image's own.
      if (Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS)
          && !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        Files.createFile(path);
      }
    }
    Path var = root.resolve("var");
    if (!Files.exists(var, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(var);
    }
  }

  /**
   * The whole root of a NixOS container before its first boot: the skeleton plus {@code usr} and
   * {@code nix/var/nix}, where the RFC's bind mounts and NixOS's stage 2 put their things. The
   * system itself comes from the store.
   */
  static void completeNixos(Path root) throws IOException {
    Files.createDirectories(root);
    complete(root);
    for (String dir : new String[] {"usr", "nix/var/nix"}) {
      if (!Files.exists(root.resolve(dir), LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(root.resolve(dir));
      }
    }
  }
}
