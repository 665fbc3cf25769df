package dev.berth.agent.cli;

import dev.berth.reconciler.migrate.ContainerMigrator;
import dev.berth.reconciler.migrate.LegacyConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The nixos-container installation of a host: {@code /etc/nixos-containers} (NixOS 22.05 and later)
 * or {@code /etc/containers} (before), with the state under {@code /var/lib/nixos-containers} or
 * {@code /var/lib/containers}.
 */
final class LegacyHost {
  /**
   * podman's files that share /etc/containers with old nixos-containers (nixos-container skips them
   * too).
   */
  private static final Set<String> PODMAN_FILES =
      Set.of(
          "libpod.conf",
          "containers.conf",
          "registries.conf",
          "storage.conf",
          "mounts.conf",
          "seccomp.conf");

  private static final long MAX_FILE = 1 << 20;

  final Path configDir;
  final Path stateDir;
  final Path machinesDir;

  private LegacyHost(Path configDir, Path stateDir, Path machinesDir) {
    this.configDir = configDir;
    this.stateDir = stateDir;
    this.machinesDir = machinesDir;
  }

  /**
   * The installation under {@code root}; {@code from} and {@code state} override where the
   * configurations and the state are (null: found as the module would have put them).
   */
  static LegacyHost find(Path root, Path from, Path state) {
    Path configDir = from;
    if (configDir == null) {
      Path current = root.resolve("etc/nixos-containers");
      Path older = root.resolve("etc/containers");
      if (Files.isDirectory(current)) {
        configDir = current;
      } else if (Files.isDirectory(older)) {
        configDir = older;
      } else {
        throw new UserError(
            "no nixos-container configurations: neither "
                + current
                + " nor "
                + older
                + " is a directory (name one with --from DIR)");
      }
    } else if (!Files.isDirectory(configDir)) {
      throw new UserError("--from " + configDir + ": not a directory");
    }
    Path stateDir = state;
    if (stateDir == null) {
      boolean current =
          configDir.getFileName() != null
              && configDir.getFileName().toString().equals("nixos-containers");
      stateDir = root.resolve(current ? "var/lib/nixos-containers" : "var/lib/containers");
    }
    return new LegacyHost(configDir, stateDir, root.resolve("var/lib/machines"));
  }

  /** Every container configuration, by name; other files are named in {@code ignored}. */
  List<LegacyConf> containers(List<String> ignored) throws IOException {
    List<Path> confs;
    try (Stream<Path> files = Files.list(configDir)) {
      confs = files.filter(f -> f.getFileName().toString().endsWith(".conf")).sorted().toList();
    }
    List<LegacyConf> out = new ArrayList<>();
    for (Path conf : confs) {
      String file = conf.getFileName().toString();
      if (PODMAN_FILES.contains(file) || !Files.isRegularFile(conf)) {
        ignored.add(conf + ": not a nixos-container configuration; skipped");
        continue;
      }
      String text = read(conf);
      if (!ContainerMigrator.looksLikeContainerConf(text)) {
        ignored.add(conf + ": sets none of nixos-container's settings; skipped");
        continue;
      }
      String name = file.substring(0, file.length() - ".conf".length());
      Path nixosConfig = stateDir.resolve(name).resolve("etc/nixos/configuration.nix");
      boolean imperative = Files.isRegularFile(nixosConfig, LinkOption.NOFOLLOW_LINKS);
      out.add(
          new LegacyConf(
              name,
              conf.toString(),
              text,
              stateDir.resolve(name).toString(),
              machinesDir.resolve(name).toString(),
              imperative ? nixosConfig.toString() : null,
              imperative ? read(nixosConfig) : null));
    }
    return out;
  }

  private static String read(Path file) throws IOException {
    if (Files.size(file) > MAX_FILE) {
      throw new UserError(file + ": larger than 1 MiB; not a nixos-container file");
    }
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }
}
