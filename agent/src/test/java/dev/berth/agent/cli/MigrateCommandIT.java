package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth migrate} end to end through the CLI, on the old host tree of the reconciler's test
 * resources ({@code migrate/}, the format nixpkgs' module and {@code nixos-container create} write)
 * copied to a temporary root; what it writes is checked with {@code berth validate} and {@code
 * berth render}, and {@code --move} really renames the state directories.
 */
class MigrateCommandIT {
  private static final List<String> FIXTURES =
      List.of(
          "etc/nixos-containers/web.conf",
          "etc/nixos-containers/bridged.conf",
          "etc/nixos-containers/hostnet.conf",
          "etc/nixos-containers/demo.conf",
          "var/lib/nixos-containers/web/etc/os-release",
          "var/lib/nixos-containers/bridged/etc/os-release",
          "var/lib/nixos-containers/demo/etc/nixos/configuration.nix");

  @TempDir Path temp;
  Path root;
  Path out;

  @BeforeEach
  void oldHost() throws IOException {
    root = temp.resolve("root");
    out = temp.resolve("repo");
    for (String fixture : FIXTURES) {
      copy(fixture, root.resolve(fixture));
    }
  }

  @Test
  void writesManifestsThatBerthValidatesAndRendersAndListsTheStateToMove() throws IOException {
    Cli migrate =
        Cli.run("migrate", "--root", root.toString(), "--out", out.toString(), "--host", "host-a");

    assertThat(migrate.exitCode()).as(migrate.err()).isEqualTo(0);
    assertThat(migrate.err())
        .contains(
            "warning: "
                + root.resolve("etc/nixos-containers/bridged.conf")
                + ":23: EXTRA_NSPAWN_FLAGS: --property=MemoryMax=1G has no .nspawn setting")
        .contains(
            "warning: "
                + root.resolve("etc/nixos-containers/hostnet.conf")
                + ":13: SOMETHING_NEW is not a setting of nixos-container that berth knows");
    assertThat(migrate.out())
        .contains("wrote " + out.resolve("web.yaml"))
        .contains("wrote " + out.resolve("nix/demo-configuration.nix"))
        .contains(
            "  move "
                + root.resolve("var/lib/nixos-containers/web")
                + " -> "
                + root.resolve("var/lib/machines/web"))
        .contains("  no state for hostnet: ")
        .contains("  web: write nix/web-configuration.nix")
        .contains(
            "migrated 4 containers into " + out + " (2 warnings); state: 3 to move, 0 refused");
    assertThat(files(out))
        .containsExactly(
            "bridged.yaml",
            "demo.yaml",
            "hostnet.yaml",
            "nix/bridged.nix",
            "nix/demo-configuration.nix",
            "nix/demo.nix",
            "nix/hostnet.nix",
            "nix/web.nix",
            "web.yaml");
    assertThat(root.resolve("var/lib/nixos-containers/web")).isDirectory();
    assertThat(root.resolve("var/lib/machines")).doesNotExist();

    Cli validate = Cli.run("validate", out.toString());
    assertThat(validate.exitCode()).as(validate.err()).isEqualTo(0);
    assertThat(validate.out()).startsWith("valid: 4 containers, 0 zones");
    Cli forHost = Cli.run("validate", out.toString(), "--host", "host-a");
    assertThat(forHost.exitCode()).as(forHost.err()).isEqualTo(0);
    Path rendered = temp.resolve("rendered");
    Cli render =
        Cli.run("render", out.toString(), "--host", "host-a", "--out", rendered.toString());
    assertThat(render.exitCode()).as(render.err()).isEqualTo(0);
    assertThat(Files.readString(rendered.resolve("etc/systemd/nspawn/web.nspawn")))
        .contains("Port=tcp:8080:80")
        .contains("BindReadOnly=/etc/ssl/certs\n")
        .contains("Bind=/srv/web:/srv/data\n")
        .contains("PrivateUsers=no");
    assertThat(Files.readString(rendered.resolve("etc/systemd/nspawn/bridged.nspawn")))
        .contains("Bridge=br0")
        .contains("MACVLAN=eth1")
        .contains("BindReadOnly=/var/lib/acme:/var/lib/acme:idmap");
  }

  @Test
  void withoutOutTheManifestsAreAYamlStreamOnStdout() {
    Cli migrate = Cli.run("migrate", "--root", root.toString(), "--host", "host-a");

    assertThat(migrate.exitCode()).as(migrate.err()).isEqualTo(0);
    assertThat(migrate.out().split("(?m)^---$")).hasSize(4);
    assertThat(migrate.out()).contains("kind: Container").doesNotContain("wrote ");
    assertThat(migrate.err())
        .contains("note: the Nix files the manifests name are written only with --out DIR")
        .contains("migrated 4 containers (2 warnings)");
  }

  @Test
  void moveRenamesEachStateDirectoryAndRefusesAnExistingTarget() throws IOException {
    Files.createDirectories(root.resolve("var/lib/machines/bridged"));
    Files.writeString(root.resolve("var/lib/machines/bridged/keep"), "someone's");

    Cli migrate =
        Cli.run(
            "migrate",
            "--root",
            root.toString(),
            "--out",
            out.toString(),
            "--host",
            "host-a",
            "--move");

    assertThat(migrate.exitCode()).as(migrate.out() + migrate.err()).isEqualTo(1);
    assertThat(root.resolve("var/lib/machines/web/etc/os-release")).isRegularFile();
    assertThat(root.resolve("var/lib/machines/demo/etc/nixos/configuration.nix")).isRegularFile();
    assertThat(root.resolve("var/lib/nixos-containers/web")).doesNotExist();
    assertThat(root.resolve("var/lib/nixos-containers/bridged/etc/os-release")).isRegularFile();
    assertThat(root.resolve("var/lib/machines/bridged/keep")).hasContent("someone's");
    assertThat(migrate.out())
        .contains(
            "  not moving "
                + root.resolve("var/lib/nixos-containers/bridged")
                + ": "
                + root.resolve("var/lib/machines/bridged")
                + " already exists; berth overwrites no state")
        .contains("state: 2 moved, 1 refused");

    Cli again =
        Cli.run(
            "migrate",
            "--root",
            root.toString(),
            "--out",
            temp.resolve("again").toString(),
            "--host",
            "host-a",
            "--move",
            "--output",
            "json");
    JsonNode json = new ObjectMapper().readTree(again.out());
    assertThat(json.path("containers").path(0).path("name").asText()).isEqualTo("bridged");
    assertThat(json.path("containers").path(0).path("state").path("status").asText())
        .isEqualTo("refused");
    assertThat(json.path("containers").path(3).path("state").path("status").asText())
        .as("web was moved before; there is nothing left to move")
        .isEqualTo("no_state");
  }

  @Test
  void refusesToOverwriteAnythingInOut() throws IOException {
    Files.createDirectories(out.resolve("nix"));
    Files.writeString(out.resolve("nix/web.nix"), "mine");

    Cli migrate =
        Cli.run("migrate", "--root", root.toString(), "--out", out.toString(), "--host", "h");

    assertThat(migrate.exitCode()).isEqualTo(2);
    assertThat(migrate.err().strip())
        .isEqualTo(
            "berth: "
                + out.resolve("nix/web.nix")
                + " already exists; berth migrate overwrites nothing (choose another --out)");
    assertThat(files(out)).containsExactly("nix/web.nix");
  }

  @Test
  void olderNixosKeptThemInEtcContainersBesidePodmansFiles() throws IOException {
    Path older = temp.resolve("older");
    copy("etc/nixos-containers/demo.conf", older.resolve("etc/containers/demo.conf"));
    copy(
        "var/lib/nixos-containers/demo/etc/nixos/configuration.nix",
        older.resolve("var/lib/containers/demo/etc/nixos/configuration.nix"));
    Files.writeString(older.resolve("etc/containers/registries.conf"), "[registries.search]\n");
    Files.writeString(older.resolve("etc/containers/policy.conf"), "[engine]\nx = 1\n");

    Cli migrate = Cli.run("migrate", "--root", older.toString(), "--host", "h");

    assertThat(migrate.exitCode()).as(migrate.err()).isEqualTo(0);
    assertThat(migrate.out()).contains("name: demo").doesNotContain("---");
    assertThat(migrate.err())
        .contains(
            "note: " + older.resolve("etc/containers/registries.conf") + ": not a nixos-container")
        .contains("note: " + older.resolve("etc/containers/policy.conf") + ": sets none of")
        .contains("  move " + older.resolve("var/lib/containers/demo") + " -> ");
  }

  @Test
  void aHostWithoutNixosContainersGetsOneLine() {
    Cli migrate = Cli.run("migrate", "--root", temp.resolve("empty").toString());

    assertThat(migrate.exitCode()).isEqualTo(2);
    assertThat(migrate.err().lines())
        .singleElement()
        .asString()
        .contains("no nixos-container configurations");
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  private static void copy(String fixture, Path target) throws IOException {
    try (InputStream in = MigrateCommandIT.class.getResourceAsStream("/migrate/" + fixture)) {
      if (in == null) {
        throw new IllegalStateException("no fixture " + fixture);
      }
      Files.createDirectories(target.getParent());
      Files.copy(in, target);
    }
  }
}
