package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code berth migrate --move} on a real systemd host: a running old container (a machine
 * registered with machined, and a {@code container@NAME.service} that is active) keeps its state
 * where it is; a stopped one's state is renamed into /var/lib/machines; once they are stopped, the
 * rest moves too; then the manifests it wrote are applied and every container boots. The fixtures
 * are the reconciler's {@code migrate/} host tree.
 */
class MigrateE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String BERTH = "/opt/berth/berth.jar";
  private static final List<String> FIXTURES =
      List.of(
          "etc/nixos-containers/web.conf",
          "etc/nixos-containers/bridged.conf",
          "etc/nixos-containers/demo.conf",
          "var/lib/nixos-containers/web/etc/os-release",
          "var/lib/nixos-containers/demo/etc/nixos/configuration.nix");

  @Test
  void movesOnlyTheStateOfContainersThatDoNotRunAndItsOutputAppliedBoots() throws Exception {
    assertThat(JAR_DIR.resolve("berth.jar")).as("the built agent (mvn package)").exists();
    Path work = Files.createTempDirectory("berth-migrate-e2e");
    for (String fixture : FIXTURES) {
      copy(fixture, work.resolve("old").resolve(fixture));
    }
    BusyboxImage.build(work);
    try (Testbed testbed = Testbed.boot(JAR_DIR, work)) {
      testbed
          .sh(
              "mkdir -p /etc/nixos-containers /var/lib/nixos-containers/bridged"
                  + " && cp /opt/e2e/old/etc/nixos-containers/*.conf /etc/nixos-containers/"
                  + " && cp -a /opt/e2e/old/var/lib/nixos-containers/. /var/lib/nixos-containers/"
                  + " && tar -C /var/lib/nixos-containers/bridged -xf /opt/e2e/busybox.tar")
          .orFail("the old host");
      // bridged runs as a machine (as container@bridged would); demo's old unit is active.
      testbed
          .exec(
              "systemd-run",
              "--unit=legacy-bridged",
              "systemd-nspawn",
              "--quiet",
              "--keep-unit",
              "--machine=bridged",
              "--directory=/var/lib/nixos-containers/bridged",
              "--boot",
              "--private-users=no")
          .orFail("the running old container bridged");
      testbed
          .exec("systemd-run", "--unit=container@demo.service", "/bin/sleep", "600")
          .orFail("the active unit container@demo.service");
      await(() -> testbed.exec("machinectl", "show", "bridged").exitCode() == 0);

      Testbed.Result first =
          testbed.exec(
              Duration.ofSeconds(60),
              "java",
              "-jar",
              BERTH,
              "migrate",
              "--out",
              "/opt/e2e/repo",
              "--host",
              "tb",
              "--move");

      assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(1);
      assertThat(first.out())
          .contains("  moved /var/lib/nixos-containers/web -> /var/lib/machines/web")
          .contains(
              "  not moving /var/lib/nixos-containers/bridged: machine bridged is running;"
                  + " stop it first (machinectl stop bridged)")
          .contains(
              "  not moving /var/lib/nixos-containers/demo: container@demo.service is active;"
                  + " stop it first (systemctl stop container@demo.service)")
          .contains("state: 1 moved, 2 refused");
      assertThat(testbed.exec("test", "-f", "/var/lib/machines/web/etc/os-release").exitCode())
          .isZero();
      assertThat(testbed.exec("test", "-e", "/var/lib/machines/bridged").exitCode()).isNotZero();
      assertThat(testbed.exec("test", "-e", "/var/lib/machines/demo").exitCode()).isNotZero();
      assertThat(testbed.exec("machinectl", "show", "bridged").exitCode())
          .as("the running container was left alone")
          .isZero();

      testbed.exec("machinectl", "terminate", "bridged").orFail("stop bridged");
      testbed.exec("systemctl", "stop", "container@demo.service").orFail("stop demo");
      await(() -> testbed.exec("machinectl", "show", "bridged").exitCode() != 0);

      Testbed.Result second =
          testbed.exec(
              Duration.ofSeconds(60),
              "java",
              "-jar",
              BERTH,
              "migrate",
              "--out",
              "/opt/e2e/repo2",
              "--host",
              "tb",
              "--move");

      assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
      assertThat(second.out()).contains("state: 2 moved, 0 refused");
      assertThat(testbed.exec("test", "-x", "/var/lib/machines/bridged/bin/busybox").exitCode())
          .isZero();
      assertThat(
              testbed
                  .exec("test", "-f", "/var/lib/machines/demo/etc/nixos/configuration.nix")
                  .exitCode())
          .isZero();
      Testbed.Result validate = testbed.exec("java", "-jar", BERTH, "validate", "/opt/e2e/repo");
      assertThat(validate.exitCode()).as(validate.err()).isZero();

      appliesAndBoots(work, testbed, "/opt/e2e/repo2", List.of("web", "bridged", "demo"));
    }
  }

  /**
   * The migrate output, unchanged, applied with {@code berth apply}: every container boots. Its Nix
   * files build the system with nixpkgs' {@code eval-config.nix}, and no nixpkgs can be downloaded
   * here, so {@code <nixpkgs>} is a stand-in whose {@code eval-config.nix} takes the migrated
   * modules and gives the tests' stand-in toplevel (NixosE2E), built by the real nix.
   */
  private static void appliesAndBoots(
      Path work, Testbed testbed, String repo, List<String> containers) throws Exception {
    Path nixpkgs = work.resolve("nixpkgs");
    Files.createDirectories(nixpkgs.resolve("nixos/lib"));
    Files.writeString(nixpkgs.resolve("standin-system.nix"), NixosE2E.SYSTEM_NIX);
    Files.writeString(
        nixpkgs.resolve("nixos/lib/eval-config.nix"),
        """
        # A stand-in for nixpkgs' eval-config.nix: it takes the modules of berth migrate's files and
        # gives the tests' stand-in NixOS toplevel.
        { modules, ... }:
        assert builtins.isList modules && modules != [ ];
        { config.system.build.toplevel = import ../../standin-system.nix { gen = "migrated"; }; }
        """);
    // What the old host had for these containers: bridged's bridge and macvlan parent (a veth end:
    // this kernel has no dummy links), web's bind source.
    testbed
        .sh(
            NixosE2E.OFFLINE_NIX_CONF
                + " && mkdir -p /srv/web /var/lib/acme"
                + " && ip link add br0 type bridge && ip link set br0 up"
                + " && ip link add eth1 type veth peer name eth1-peer && ip link set eth1 up")
        .orFail("the host's bridge, macvlan parent and bind source");

    Testbed.Result applied =
        testbed.exec(
            Duration.ofMinutes(5),
            "env",
            "NIX_PATH=nixpkgs=/opt/e2e/nixpkgs",
            "java",
            "-jar",
            BERTH,
            "apply",
            repo,
            "--host",
            "tb");

    StringBuilder journals = new StringBuilder();
    for (String name : containers) {
      journals.append(
          testbed
              .exec("journalctl", "--unit=systemd-nspawn@" + name + ".service", "--no-pager")
              .out());
    }
    assertThat(applied.exitCode()).as(applied.out() + applied.err() + journals).isZero();
    for (String name : containers) {
      assertThat(testbed.unitProperty(name, "ActiveState"))
          .as(name + "'s unit")
          .isEqualTo("active");
      assertThat(testbed.exec("machinectl", "show", name, "--property=State", "--value").out())
          .as(name + " registered with machined")
          .contains("running");
      await(() -> testbed.exec("cat", "/var/lib/machines/" + name + "/booted").exitCode() == 0);
      assertThat(testbed.exec("cat", "/var/lib/machines/" + name + "/booted").out().strip())
          .as(name + " booted the built system")
          .isEqualTo("migrated");
    }
  }

  private static void await(Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.sleep(100);
    }
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void copy(String fixture, Path target) throws IOException {
    try (InputStream in = MigrateE2E.class.getResourceAsStream("/migrate/" + fixture)) {
      if (in == null) {
        throw new IllegalStateException("no fixture " + fixture);
      }
      Files.createDirectories(target.getParent());
      Files.copy(in, target);
    }
  }
}
