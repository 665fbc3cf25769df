package dev.berth.agent.cli;

import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.testing.ContainerYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * berth create and update check their manifest exactly as a Git manifest is checked, before they
 * touch the host: every finding as FILE:LINE:COL, exit 2, nothing applied.
 */
class ImperativeCliTest {
  @TempDir Path tmp;

  /**
   * A manifest as berth create takes it, a tarball and no placement: nine lines, so spec lines
   * start at line 10.
   */
  private static ContainerYaml unplaced(String name) {
    return container(name).unplaced().tarball("file:///srv/busybox.tar", "a".repeat(64));
  }

  /** The documents, written to one file. */
  private Path file(Object... documents) throws IOException {
    Path file = tmp.resolve("web.yaml");
    Files.writeString(file, ContainerYaml.docs(documents));
    return file;
  }

  @Test
  void theNameMustMatchMetadataName() throws IOException {
    Path file = file(unplaced("web"));

    Cli cli = Cli.run("create", "api", "-f", file.toString());

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err().lines())
        .containsExactly(
            file + ":4:9: metadata.name is \"web\", but the command names \"api\"; they must agree",
            "invalid: 1 error; nothing applied");
  }

  @Test
  void schemaAndValueErrorsAreReportedAsForGitManifests() throws IOException {
    Path unknown = file(unplaced("web").spec("colour: blue"));

    Cli schema = Cli.run("update", "web", "-f", unknown.toString(), "--restart");

    assertThat(schema.exitCode()).isEqualTo(2);
    assertThat(schema.err().lines())
        .containsExactly(
            unknown + ":10:3: unknown field \"colour\" in spec",
            "invalid: 1 error; nothing applied");

    Path relative = file(unplaced("web").spec("bindMounts: [{hostPath: srv, containerPath: /x}]"));
    Cli value = Cli.run("create", "web", "-f", relative.toString());

    assertThat(value.exitCode()).isEqualTo(2);
    assertThat(value.err().lines().toList())
        .hasSize(2)
        .first()
        .asString()
        .startsWith(relative + ":10:")
        .contains("hostPath");
  }

  @Test
  void oneContainerAndNoZones() throws IOException {
    Path file =
        file(
            unplaced("web"),
            """
            apiVersion: berth.dev/v1alpha1
            kind: Zone
            metadata:
              name: dmz
            spec:
              v4: {hostAddresses: [10.9.0.1/24], addrPool: [0.0.0.0/24]}
            """,
            unplaced("web2"));

    Cli cli = Cli.run("create", "web", "-f", file.toString());

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err().lines())
        .containsExactly(
            file + ":12:7: a Zone is managed from Git; berth create and update take one Container",
            file + ":19:7: one Container per file for berth create and update (this is the 2. one)",
            "invalid: 2 errors; nothing applied");
  }

  @Test
  void aRolloutIsGitsToo() throws IOException {
    Path file =
        file(
            unplaced("web"),
            """
            apiVersion: berth.dev/v1alpha1
            kind: Rollout
            metadata:
              name: fleet
            spec:
              waves: [{name: all}]
            """);

    Cli cli = Cli.run("create", "web", "-f", file.toString());

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err().lines())
        .containsExactly(
            file
                + ":12:7: a Rollout is managed from Git; berth create and update take one"
                + " Container",
            "invalid: 1 error; nothing applied");
  }

  @Test
  void aPlacementIsIgnoredWithAWarning() throws IOException {
    Path file =
        file(unplaced("web").spec("placement: {hosts: [elsewhere]}", "network: {zone: dmz}"));

    Cli cli = Cli.run("create", "web", "-f", file.toString());

    // The zone is not on this host (zones are Git's), so this one is invalid; the placement only
    // warns.
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("warning: placement is not used by berth create and update");
    assertThat(cli.err()).contains("dmz");
  }

  @Test
  void reloadAndRestartExcludeEachOther() throws IOException {
    Cli cli =
        Cli.run("update", "web", "-f", file(unplaced("web")).toString(), "--reload", "--restart");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err().lines().findFirst().orElseThrow())
        .startsWith("berth: Error: --reload, --restart are mutually exclusive");
  }

  @Test
  void aMissingFileIsOneLine() {
    Cli cli = Cli.run("create", "web", "-f", tmp.resolve("nope.yaml").toString());

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err().lines())
        .containsExactly("berth: " + tmp.resolve("nope.yaml") + ": no such manifest file");
  }
}
