package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.tls.TestCa;
import dev.berth.reconciler.testing.ContainerYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --ca-file} of berth apply, create and update: parsed as a path, and a file that is not PEM
 * certificates refused in one line, exit 2, before the manifests are read or the host is touched
 * (these runs are not root: getting that far would end in the needs-root refusal).
 */
class CaFileOptionTest {
  @TempDir Path tmp;

  private Path manifest() throws IOException {
    Path file = tmp.resolve("web.yaml");
    Files.writeString(
        file,
        ContainerYaml.docs(
            ContainerYaml.container("web")
                .unplaced()
                .tarball("https://images.internal.example/base.tar", "a".repeat(64))));
    return file;
  }

  @Test
  void applyCreateAndUpdateTakeTheFileRemoveRefusesTheOption() {
    Path pem = tmp.resolve("ca.pem");

    ApplyCommand apply = parsed(new ApplyCommand(), "--ca-file=" + pem, "manifests");
    ImperativeCommands.Create create =
        parsed(new ImperativeCommands.Create(), "web", "-f", "web.yaml", "--ca-file", pem + "");
    ImperativeCommands.Update update =
        parsed(new ImperativeCommands.Update(), "web", "-f", "web.yaml", "--ca-file=" + pem);

    assertThat(apply.trust.file).isEqualTo(pem);
    assertThat(create.caFile()).isEqualTo(pem);
    assertThat(update.caFile()).isEqualTo(pem);
    assertThat(parsed(new ApplyCommand(), "manifests").trust.file).isNull();
    assertThat(new ImperativeCommands.Remove().caFile()).isNull();
    Cli remove = Cli.run("remove", "web", "--ca-file=" + pem);
    assertThat(remove.exitCode()).isEqualTo(2);
    assertThat(remove.err()).startsWith("berth: Unknown option: '--ca-file=");
  }

  @Test
  void aMissingFileIsRefusedByNameBeforeTheManifestsAreRead() throws IOException {
    Path missing = tmp.resolve("missing.pem");
    Path manifest = manifest();

    for (String[] args :
        new String[][] {
          {"apply", "--ca-file=" + missing, tmp.resolve("no-such-dir").toString()},
          {"create", "web", "-f", manifest.toString(), "--ca-file=" + missing},
          {"update", "web", "-f", manifest.toString(), "--ca-file=" + missing},
        }) {
      Cli cli = Cli.run(args);

      assertThat(cli.exitCode()).as(args[0]).isEqualTo(2);
      assertThat(cli.err().lines())
          .as(args[0])
          .containsExactly("berth: --ca-file: " + missing + " does not exist");
      assertThat(cli.out()).as(args[0]).isEmpty();
    }
  }

  @Test
  void aFileWithoutPemCertificatesIsRefusedWithTheAgentsReason() throws IOException {
    Path key = Files.writeString(tmp.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n");
    Path damaged =
        Files.writeString(
            tmp.resolve("damaged.pem"),
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

    Cli notPem = Cli.run("apply", "--ca-file=" + key, tmp.toString());
    Cli notCertificate =
        Cli.run("create", "web", "-f", manifest().toString(), "--ca-file", "" + damaged);

    assertThat(notPem.exitCode()).isEqualTo(2);
    assertThat(notPem.err().lines())
        .containsExactly(
            "berth: --ca-file: " + key + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    assertThat(notCertificate.exitCode()).isEqualTo(2);
    assertThat(notCertificate.err().lines())
        .singleElement()
        .asString()
        .startsWith("berth: --ca-file: " + damaged + " is not a valid PEM certificate file: ");
  }

  @Test
  void aGoodFilePassesAndTheManifestIsCheckedNext() throws Exception {
    Path pem = TestCa.create("berth test CA").writePem(tmp.resolve("ca.pem"));

    Cli cli = Cli.run("create", "api", "-f", manifest().toString(), "--ca-file=" + pem);

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err().lines())
        .first()
        .asString()
        .contains("metadata.name is \"web\", but the command names \"api\"");
  }

  /** {@code command} with {@code args} parsed into it, as berth's command line parses them. */
  static <T> T parsed(T command, String... args) {
    new CommandLine(command).parseArgs(args);
    return command;
  }
}
