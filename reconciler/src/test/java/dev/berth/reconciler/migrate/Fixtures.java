package dev.berth.reconciler.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The old host tree under {@code src/test/resources/migrate/}. */
final class Fixtures {
  private Fixtures() {}

  static String read(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/migrate/" + path)) {
      if (in == null) {
        throw new IllegalStateException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The container NAME as {@code berth migrate} finds it on the fixture host. */
  static LegacyConf conf(String name) {
    String config = "var/lib/nixos-containers/" + name + "/etc/nixos/configuration.nix";
    String configText =
        Fixtures.class.getResource("/migrate/" + config) == null ? null : read(config);
    return new LegacyConf(
        name,
        "/etc/nixos-containers/" + name + ".conf",
        read("etc/nixos-containers/" + name + ".conf"),
        "/var/lib/nixos-containers/" + name,
        "/var/lib/machines/" + name,
        configText == null ? null : "/" + config,
        configText);
  }
}
