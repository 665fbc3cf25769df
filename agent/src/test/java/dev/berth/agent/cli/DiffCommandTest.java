package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.diff.FileChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth diff PATH --root DIR} against a directory standing for a host: nothing after a
 * render of the same manifests, a changed, a new and a removed file as unified diffs before the
 * plan's lines, secrets masked, the exit codes of {@code berth plan}, and one-line errors.
 */
class DiffCommandTest {
  private static final String NSPAWN = "etc/systemd/nspawn/web.nspawn";

  @TempDir Path tmp;

  private static String web(String... specLines) {
    StringBuilder yaml = new StringBuilder(CliTest.WEB);
    for (String line : specLines) {
      yaml.append("  ").append(line).append('\n');
    }
    return yaml.toString();
  }

  private Path repo(String yaml) throws IOException {
    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo);
    Files.writeString(repo.resolve("web.yaml"), yaml);
    return repo;
  }

  private Path rendered(String yaml) throws IOException {
    Path root = tmp.resolve("root");
    Cli render = Cli.run("render", repo(yaml).toString(), "--host", "h1", "--out", root.toString());
    assertThat(render.exitCode()).as(render.err()).isZero();
    return root;
  }

  private Cli diff(Path repo, Path root) {
    return Cli.run("diff", repo.toString(), "--host", "h1", "--root", root.toString());
  }

  @Test
  void nothingDiffersAfterARenderOfTheSameManifests() throws IOException {
    Path root = rendered(web());

    Cli cli = diff(tmp.resolve("repo"), root);

    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out()).isEqualTo("none web: up to date\n");
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void aChangedSettingIsAUnifiedDiffOfItsFileThenThePlanLine() throws IOException {
    Path root = rendered(web());
    String before = Files.readString(root.resolve(NSPAWN));

    Cli cli = diff(repo(web("capabilities: [CAP_NET_ADMIN]")), root);

    assertThat(cli.exitCode()).isEqualTo(1);
    List<String> lines = cli.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("--- host/" + NSPAWN);
    assertThat(lines.get(1)).isEqualTo("+++ git/" + NSPAWN);
    assertThat(lines.get(2)).startsWith("@@ -");
    assertThat(lines).contains("+Capability=CAP_NET_ADMIN");
    assertThat(lines.get(lines.size() - 1)).startsWith("restart web: changed ");
    assertThat(cli.out()).doesNotContain("\u001b[");
    // The file on the "host" is read, not changed.
    assertThat(Files.readString(root.resolve(NSPAWN))).isEqualTo(before);
  }

  @Test
  void aNewContainersFilesDiffAgainstDevNull() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("empty"));

    Cli cli = diff(repo(web()), root);

    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.out())
        .contains("--- /dev/null\n+++ git/" + NSPAWN + "\n@@ -0,0 +1,8 @@\n")
        .contains("\n+[Exec]\n")
        .endsWith("create web: new container\n");
  }

  @Test
  void aRemovedContainersFilesDiffAgainstDevNull() throws IOException {
    Path root = rendered(web());
    Path elsewhere = repo(web().replace("hosts: [h1]", "hosts: [h2]"));

    Cli cli = diff(elsewhere, root);

    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.out())
        .contains("--- host/" + NSPAWN + "\n+++ /dev/null\n@@ -1,8 +0,0 @@\n")
        .contains("\n-[Exec]\n")
        .contains("remove web: ");
  }

  @Test
  void aCredentialsValueIsMasked() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("empty"));

    Cli cli = diff(repo(web("nspawn:", "  Exec:", "    SetCredential: token:hunter2")), root);

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(1);
    assertThat(cli.out()).contains("+SetCredential=token:********").doesNotContain("hunter2");
  }

  @Test
  void jsonListsEachFileWithItsChangeAndDiffAndThePlan() throws IOException {
    Path root = rendered(web());

    Cli cli =
        Cli.run(
            "diff",
            repo(web("capabilities: [CAP_NET_ADMIN]")).toString(),
            "--host",
            "h1",
            "--root",
            root.toString(),
            "-o",
            "json");

    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.out())
        .contains("\"path\" : \"/" + NSPAWN + "\"")
        .contains("\"change\" : \"modified\"")
        .contains("\"+Capability=CAP_NET_ADMIN\"")
        .contains("\"plan\" : [ \"restart web: changed ");
  }

  @Test
  void anInvalidManifestIsReportedByFileAndLineAndExitsTwo() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("empty"));

    Cli cli = diff(repo(web("colour: blue")), root);

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err()).contains(tmp.resolve("repo") + "/web.yaml:12:").contains("; no diff");
  }

  @Test
  void aRevisionIsForTheGitCacheOnly() throws IOException {
    Cli cli = Cli.run("diff", repo(web()).toString(), "--revision", "main");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err())
        .isEqualTo("berth: --revision reads the agent's Git cache; give it without PATH\n");
  }

  @Test
  void withoutPathTheAgentsConfigurationMustExist() {
    Cli cli = Cli.run("diff", "--config", tmp.resolve("nope.yaml").toString());

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err())
        .isEqualTo(
            "berth: "
                + tmp.resolve("nope.yaml")
                + ": no such configuration file; give a PATH, or --config FILE\n");
  }

  @Test
  void colourIsForTerminalsWithoutNoColor() {
    assertThat(Colours.enabled(true, null)).isTrue();
    assertThat(Colours.enabled(true, "")).isTrue();
    assertThat(Colours.enabled(true, "1")).isFalse();
    assertThat(Colours.enabled(false, null)).isFalse();
  }

  @Test
  void colouredDiffsAreRedAndGreen() {
    List<String> lines = UnifiedDiff.lines(FileChange.modified("etc/x", "a\nb\n", "a\nc\n"), true);

    assertThat(lines)
        .containsExactly(
            "--- host/etc/x",
            "+++ git/etc/x",
            "@@ -1,2 +1,2 @@",
            " a",
            "\u001b[31m-b\u001b[0m",
            "\u001b[32m+c\u001b[0m");
  }

  @Test
  void aMissingFinalNewlineIsMarkedAsPatchExpects() {
    assertThat(UnifiedDiff.lines(FileChange.modified("etc/x", "a\nb", "a\nb\n"), false))
        .containsExactly(
            "--- host/etc/x",
            "+++ git/etc/x",
            "@@ -1,2 +1,2 @@",
            " a",
            "-b",
            "\\ No newline at end of file",
            "+b");
  }

  @Test
  void aSealedCredentialShowsAsItsSummaryOnly() {
    String path = "var/lib/berth/credentials/web/db.cred";
    List<String> lines =
        UnifiedDiff.lines(FileChange.modified(path, "QUJDRA==\n", "RUZHSA==\n"), false);

    assertThat(String.join("\n", lines)).doesNotContain("QUJDRA").doesNotContain("RUZHSA");
    assertThat(lines.get(3)).startsWith("-sealed credential, 9 bytes of ciphertext, sha256 ");
    assertThat(lines.get(4)).startsWith("+sealed credential, 9 bytes of ciphertext, sha256 ");
  }

  @Test
  void anEmptyRangeStartsAtTheLineBeforeItAsGitWritesIt() {
    assertThat(UnifiedDiff.lines(FileChange.modified("etc/x", "a\nc\n", "a\nb\nc\n"), false))
        .containsExactly("--- host/etc/x", "+++ git/etc/x", "@@ -1,2 +1,3 @@", " a", "+b", " c");
    assertThat(UnifiedDiff.hunkHeader("@@ -4,0 +5,2 @@")).isEqualTo("@@ -3,0 +5,2 @@");
    assertThat(UnifiedDiff.hunkHeader("@@ -1,0 +1,8 @@")).isEqualTo("@@ -0,0 +1,8 @@");
  }
}
