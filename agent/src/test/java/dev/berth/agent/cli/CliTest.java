package dev.berth.agent.cli;

import static dev.berth.reconciler.testing.RolloutYaml.FLEET;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user meets it: exit codes, one-line errors, no stack traces. */
class CliTest {
  @TempDir Path tmp;

  private Path repo(String file, String yaml) throws IOException {
    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo.resolve(file).getParent());
    Files.writeString(repo.resolve(file), yaml);
    return repo;
  }

  // Written out, not built with ContainerYaml: the tests assert lines in this layout and edit the
  // text into documents a builder of valid manifests does not write (hosts as a string, two
  // images).
  static final String WEB =
      """
      apiVersion: berth.dev/v1alpha1
      kind: Container
      metadata:
        name: web
      spec:
        placement:
          hosts: [h1]
        image:
          directory:
            path: /srv/web
        network: {}
      """;

  @Test
  void validatesTheBundledExamples() {
    Cli cli = Cli.run("validate", RenderGoldenTest.EXAMPLES.toString());

    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out()).startsWith("valid: 8 containers, 1 zone");
  }

  @Test
  void reportsEveryErrorAsFileLineColumnAndExitsOne() throws IOException {
    Path repo =
        repo(
            "apps/web.yaml",
            WEB.replace("network: {}", "network: {}\n  colour: blue")
                + "---\n"
                + WEB.replace("name: web", "name: Web_1"));

    Cli cli = Cli.run("validate", repo.toString());

    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err().lines().toList())
        .containsExactly(
            repo + "/apps/web.yaml:12:3: unknown field \"colour\" in spec",
            repo
                + "/apps/web.yaml:17:9: metadata.name: \"Web_1\" is not a valid machine name: use at most 64"
                + " lowercase letters, digits and '-', starting and ending with a letter or digit",
            "invalid: 2 errors, 0 warnings");
  }

  @Test
  void aRepositoryWithAValidRolloutIsValid() throws IOException {
    Path repo = repo("web.yaml", WEB);
    Files.writeString(repo.resolve("rollout.yaml"), FLEET);

    Cli cli = Cli.run("validate", repo.toString());

    assertThat(cli.exitCode()).isZero();
    assertThat(cli.err()).isEmpty();
    assertThat(cli.out()).startsWith("valid: 1 container, 0 zones, rollout fleet");
  }

  @Test
  void aBrokenRolloutIsReportedAsFileLineColumnAndExitsOne() throws IOException {
    Path repo = repo("web.yaml", WEB);
    Files.writeString(
        repo.resolve("rollout.yaml"), FLEET.replace("{wave: canary, soak: 10m}", "{wave: rest}"));

    Cli cli = Cli.run("validate", repo.toString());

    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err().lines().toList())
        .containsExactly(
            repo
                + "/rollout.yaml:10:21: spec.waves[1].after.wave: \"rest\" is not an earlier wave"
                + " (those are canary)",
            "invalid: 1 error, 0 warnings");
  }

  @Test
  void jsonOutputForScripts() throws IOException {
    Path repo = repo("web.yaml", WEB.replace("hosts: [h1]", "hosts: h1"));

    Cli cli = Cli.run("validate", repo.toString(), "--output", "json");

    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.out())
        .contains("\"valid\" : false")
        .contains("\"line\" : 7")
        .contains("spec.placement.hosts: expected a list, found a string");
  }

  @Test
  void aMissingPathIsAUsageErrorOfOneLine() {
    Cli cli = Cli.run("validate", tmp.resolve("nope").toString());

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err().lines())
        .containsExactly("berth: " + tmp.resolve("nope") + ": not a directory of manifests");
  }

  @Test
  void theAgentDoesNotStartOnAConfigurationItCannotRun() throws IOException {
    Path secret = Files.writeString(tmp.resolve("webhook-secret"), "\n");
    Path config =
        Files.writeString(
            tmp.resolve("agent.yaml"),
            "apiVersion: berth.dev/v1alpha1\nkind: AgentConfig\nsource:\n"
                + "  url: file:///srv/manifests.git\n  interval: 0s\n"
                + "http:\n  webhookSecretFile: "
                + secret
                + "\n");

    Cli cli = Cli.run("agent", "--config", config.toString());

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err().lines())
        .containsExactly(
            config + ":5:13: source.interval: 0s is below the minimum of 1s",
            config
                + ":7:22: http.webhookSecretFile: "
                + secret
                + " is empty: write the secret shared with the Git server into it, or remove"
                + " http.webhookSecretFile to turn the webhooks off",
            "invalid configuration: 2 errors");
  }

  @Test
  void unknownOptionsAreUsageErrors() {
    Cli cli = Cli.run("plan", "x", "--host", "h1", "--root", "r", "--hots");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err().lines())
        .containsExactly("berth: Unknown option: '--hots' (see 'berth plan --help')");
  }

  @Test
  void planIsEmptyAfterRenderingAndNamesEachChange() throws IOException {
    Path repo = repo("web.yaml", WEB);
    Path root = tmp.resolve("root");
    assertThat(
            Cli.run("render", repo.toString(), "--host", "h1", "--out", root.toString()).exitCode())
        .isZero();

    Cli same = Cli.run("plan", repo.toString(), "--host", "h1", "--root", root.toString());
    assertThat(same.exitCode()).isZero();
    assertThat(same.out()).isEqualTo("none web: up to date\n");

    Files.writeString(repo.resolve("web.yaml"), WEB + "  resources:\n    memoryMax: 1G\n");
    Cli live =
        Cli.run("plan", repo.toString(), "--host", "h1", "--root", root.toString(), "-o", "json");
    assertThat(live.exitCode()).isEqualTo(1);
    assertThat(live.out()).contains("\"container\" : \"web\"").contains("\"action\" : \"live\"");
  }

  @Test
  void aRolloutChangesNothingThatRenderAndPlanDo() throws IOException {
    Path repo = repo("web.yaml", WEB);
    Path plain = tmp.resolve("plain");
    assertThat(
            Cli.run("render", repo.toString(), "--host", "h1", "--out", plain.toString())
                .exitCode())
        .isZero();
    Files.writeString(repo.resolve("rollout.yaml"), FLEET);
    Path withRollout = tmp.resolve("with-rollout");

    Cli render =
        Cli.run("render", repo.toString(), "--host", "h1", "--out", withRollout.toString());
    Cli plan = Cli.run("plan", repo.toString(), "--host", "h1", "--root", plain.toString());

    assertThat(render.exitCode()).isZero();
    assertThat(files(plain)).isNotEmpty();
    assertThat(files(withRollout)).isEqualTo(files(plain));
    assertThat(plan.exitCode()).isZero();
    assertThat(plan.out()).isEqualTo("none web: up to date\n");
  }

  /** Every file under {@code root} by its relative path, with its content. */
  private static Map<String, String> files(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (var walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(file).toString(), Files.readString(file));
      }
    }
    return files;
  }

  @Test
  void planRefusesAnInvalidRepositoryWithExitTwo() throws IOException {
    Path repo =
        repo(
            "web.yaml",
            WEB.replace("directory:", "nixos:\n      file: missing.nix\n    directory:"));

    Cli cli = Cli.run("plan", repo.toString(), "--host", "h1", "--root", tmp.toString());

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err())
        .contains("web.yaml:9:5: spec.image: set exactly one image source")
        .contains("invalid: ");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void renderWritesNothingForAnInvalidRepository() throws IOException {
    Path repo = repo("web.yaml", WEB.replace("path: /srv/web", "path: srv/web"));
    Path out = tmp.resolve("out");

    Cli cli = Cli.run("render", repo.toString(), "--host", "h1", "--out", out.toString());

    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err())
        .contains("web.yaml:10:13: spec.image.directory.path: must be an absolute path");
    assertThat(out).doesNotExist();
  }

  @Test
  void renderRefusesToWriteThroughASymlinkPlantedInTheOutputDirectory() throws IOException {
    Path repo = repo("web.yaml", WEB);
    Path out = Files.createDirectories(tmp.resolve("shared-out"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.createDirectories(out.resolve("etc/systemd"));
    Files.createSymbolicLink(out.resolve("etc/systemd/nspawn"), elsewhere);

    Cli cli = Cli.run("render", repo.toString(), "--host", "h1", "--out", out.toString());

    assertThat(cli.exitCode()).isNotZero();
    assertThat(cli.err().lines())
        .containsExactly(
            "berth: I/O error: refusing to write through the symlink "
                + out.resolve("etc/systemd/nspawn")
                + " inside the output directory "
                + out);
    try (var written = Files.list(elsewhere)) {
      assertThat(written).as("nothing written where the symlink points").isEmpty();
    }
  }

  @Test
  void sealRefusesAnIdThatNamesNoCredentialInOneLineBeforeReadingASecret() {
    Cli cli = Cli.run("seal", "--id", "../etc");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err())
        .isEqualTo("berth: --id \"../etc\": use letters, digits, '_', '.' and '-'\n");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void theClientCommandsRefuseContradictoryEndpointsInOneLine() {
    Cli both = Cli.run("suspend", "--socket", "/run/x.sock", "--agent", "http://127.0.0.1:9");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err().lines())
        .containsExactly("berth: give --socket PATH or --agent URL, not both");

    Cli tokenOnSocket = Cli.run("status", "--token-file", "/etc/berth/api-token");
    assertThat(tokenOnSocket.exitCode()).isEqualTo(2);
    assertThat(tokenOnSocket.err().lines())
        .containsExactly(
            "berth: --token-file goes with --agent URL: on the socket the agent knows the caller");
  }

  @Test
  void aClientCommandWithNoAgentOnItsSocketIsOneLineAndExitTwo() {
    Path socket = tmp.resolve("agent.sock");
    Cli cli = Cli.run("reconcile", "--socket", socket.toString());

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err().lines())
        .containsExactly(
            "berth: no berth agent answers at " + socket + ": is berth-agent running?");
  }
}
