package dev.berth.agent.dbus;

import dev.berth.agent.files.UnitDirectory;
import dev.berth.reconciler.host.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * A container enabled by a link of its own in {@code machines.target.wants}, for hosts whose {@code
 * /etc/systemd/system} berth cannot write, so that {@code EnableUnitFiles} cannot either. systemd
 * takes what a {@code .wants} link wants from its name; it points at the template, as the link
 * {@code systemctl enable} makes does.
 */
final class MachinesWants {
  private static final String TEMPLATE = "systemd-nspawn@.service";
  private static final List<String> TEMPLATE_DIRS =
      List.of("etc/systemd/system", "usr/lib/systemd/system", "lib/systemd/system");

  private final Path root;
  private final Path dir;

  MachinesWants(Path root, UnitDirectory units) {
    this.root = root;
    this.dir = root.resolve(units.path()).resolve("machines.target.wants");
  }

  void add(String unit) {
    Path link = dir.resolve(unit);
    try {
      if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      Files.createDirectories(dir);
      Files.createSymbolicLink(link, template());
    } catch (IOException e) {
      throw new RuntimeFailure("cannot enable " + unit + ": " + e.getMessage(), e);
    }
  }

  void remove(String unit) {
    try {
      Files.deleteIfExists(dir.resolve(unit));
    } catch (IOException e) {
      throw new RuntimeFailure("cannot disable " + unit + ": " + e.getMessage(), e);
    }
  }

  private Path template() {
    for (String candidate : TEMPLATE_DIRS) {
      Path template = root.resolve(candidate).resolve(TEMPLATE);
      if (Files.exists(template)) {
        return Path.of("/").resolve(candidate).resolve(TEMPLATE);
      }
    }
    return Path.of("/usr/lib/systemd/system").resolve(TEMPLATE);
  }
}
