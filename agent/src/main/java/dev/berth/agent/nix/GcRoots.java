package dev.berth.agent.nix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The garbage-collector roots that keep each container's systems in the store: {@code NAME} holds
 * the system it runs, {@code NAME.next} a newer one built for it until that one is active. {@code
 * nix-collect-garbage} never removes a system a container runs or is about to run.
 */
final class GcRoots {
  static final Path DEFAULT = Path.of("/nix/var/nix/gcroots/berth");

  private final Path dir;

  GcRoots(Path dir) {
    this.dir = dir;
  }

  /** Roots {@code system} as the one {@code container} is about to run. */
  void hold(String container, String system) throws IOException {
    if (!system.equals(current(container).orElse(null))) {
      link(container + ".next", system);
    }
  }

  /** {@code system} is active in {@code container}: the previous one is no longer needed. */
  void activated(String container, String system) throws IOException {
    link(container, system);
    Path next = dir.resolve(container + ".next");
    if (target(next).map(system::equals).orElse(false)) {
      Files.delete(next);
    }
  }

  /** The container is gone: so are its roots. */
  void release(String container) throws IOException {
    Files.deleteIfExists(dir.resolve(container));
    Files.deleteIfExists(dir.resolve(container + ".next"));
  }

  Optional<String> current(String container) throws IOException {
    return target(dir.resolve(container));
  }

  Optional<String> next(String container) throws IOException {
    return target(dir.resolve(container + ".next"));
  }

  private void link(String name, String system) throws IOException {
    Path link = dir.resolve(name);
    if (target(link).map(system::equals).orElse(false)) {
      return;
    }
    Files.createDirectories(dir);
    Path temporary = dir.resolve("." + name + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createSymbolicLink(temporary, Path.of(system));
    Files.move(
        temporary, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Optional<String> target(Path link) throws IOException {
    if (!Files.isSymbolicLink(link)) {
      return Optional.empty();
    }
    return Optional.of(Files.readSymbolicLink(link).toString());
  }

  static boolean exists(String system) {
    return Files.isDirectory(Path.of(system), LinkOption.NOFOLLOW_LINKS);
  }
}
