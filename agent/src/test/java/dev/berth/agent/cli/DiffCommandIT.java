package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.config.AgentConfigLoader;
import dev.berth.agent.source.GitSource;
import dev.berth.agent.source.SourceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth diff} from the agent's Git cache, a real repository fetched by a real {@link
 * GitSource}: the newest fetched revision by default, a branch, a tag or a commit by {@code
 * --revision}, one-line errors for an unknown revision, a missing cache and a bad manifest, and a
 * cache that the diff only reads.
 */
class DiffCommandIT {
  private static final PersonIdent AUTHOR = new PersonIdent("Berth Test", "test@berth.dev");
  private static final String WEB = CliTest.WEB;

  @TempDir Path tmp;
  private Path work;
  private Path root;
  private String first;

  private String commit(Git git, String yaml, String message) throws Exception {
    Files.writeString(work.resolve("web.yaml"), yaml);
    git.add().addFilepattern(".").call();
    return git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).call().name();
  }

  private Path config(String ref, Path stateDir) throws IOException {
    Path file = tmp.resolve("agent-" + ref.replace(':', '-') + ".yaml");
    Files.writeString(
        file,
        "apiVersion: berth.dev/v1alpha1\nkind: AgentConfig\nhost:\n  name: h1\nsource:\n  url: "
            + work.toUri()
            + "\n  ref:\n    "
            + ref
            + "\nstateDir: "
            + stateDir
            + "\n");
    return file;
  }

  /**
   * Fetches what {@code ref} names into the cache under {@code state}, as the agent's poll does.
   */
  private Path fetched(String ref) throws Exception {
    Path file = config(ref, tmp.resolve("state"));
    var config = new AgentConfigLoader().load(file, "h1");
    SourceSettings settings = config.source();
    try (GitSource source = new GitSource(settings, config.gitCacheDir())) {
      source.poll();
    }
    return file;
  }

  @BeforeEach
  void repository() throws Exception {
    work = Files.createDirectories(tmp.resolve("work"));
    root = Files.createDirectories(tmp.resolve("root"));
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      first = commit(git, WEB, "web");
      git.tag().setName("v1").setMessage("v1").setTagger(AUTHOR).setAnnotated(true).call();
      commit(git, WEB + "  capabilities: [CAP_NET_ADMIN]\n", "web gets CAP_NET_ADMIN");
      git.checkout().setCreateBranch(true).setName("broken").call();
      commit(git, WEB + "  colour: blue\n", "a typo");
      git.checkout().setName("main").call();
    }
  }

  private Cli diff(Path config, String... more) {
    return Cli.run(
        Stream.concat(
                Stream.of("diff", "--config", config.toString(), "--root", root.toString()),
                Stream.of(more))
            .toArray(String[]::new));
  }

  @Test
  void byDefaultTheNewestFetchedRevisionOfTheSourcesRef() throws Exception {
    Path config = fetched("branch: main");

    Cli cli = diff(config);

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(1);
    assertThat(cli.out())
        .contains("--- /dev/null\n+++ git/etc/systemd/nspawn/web.nspawn\n")
        .contains("\n+Capability=CAP_NET_ADMIN\n")
        .endsWith("create web: new container\n");
  }

  @Test
  void aTagOrACommitByAPrefixOfItsHash() throws Exception {
    fetched("tag: v1");
    Path config = fetched("branch: main");

    Cli tag = diff(config, "--revision", "v1");
    Cli commit = diff(config, "--revision", first.substring(0, 10));

    assertThat(tag.exitCode()).as(tag.err()).isEqualTo(1);
    assertThat(tag.out()).contains("\n+Boot=yes\n").doesNotContain("Capability=");
    assertThat(commit.out()).isEqualTo(tag.out());
    assertThat(commit.exitCode()).isEqualTo(1);
  }

  @Test
  void anUnknownRevisionIsOneLine() throws Exception {
    Path config = fetched("branch: main");

    Cli cli = diff(config, "--revision", "nope");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .startsWith("berth: revision nope is not a branch, tag or commit in the Git cache ")
        .endsWith(" (only what the agent fetched is there)");
  }

  @Test
  void aBadManifestInTheRevisionNamesItsFileAndLine() throws Exception {
    fetched("branch: broken");
    Path config = fetched("branch: main");

    Cli cli = diff(config, "--revision", "broken");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err())
        .startsWith("web.yaml:12:")
        .endsWith("invalid: 1 error, 0 warnings; no diff\n");
  }

  @Test
  void withoutACacheTheDiffSaysTheAgentHasNotFetched() throws Exception {
    Path config = config("branch: main", tmp.resolve("empty-state"));

    Cli cli = diff(config);

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err())
        .startsWith("berth: no Git cache at " + tmp.resolve("empty-state").resolve("git"))
        .endsWith(": the agent has not fetched " + work.toUri() + " yet\n");
    assertThat(tmp.resolve("empty-state")).doesNotExist();
  }

  @Test
  void theCacheIsOnlyRead() throws Exception {
    Path config = fetched("branch: main");
    Path cache;
    try (Stream<Path> caches = Files.list(tmp.resolve("state/git"))) {
      cache = caches.filter(p -> p.toString().endsWith(".git")).findFirst().orElseThrow();
    }
    // A fetch of the agent's under way holds lock files; a reader must leave them.
    Path lock = Files.writeString(cache.resolve("packed-refs.lock"), "");

    assertThat(diff(config).exitCode()).isEqualTo(1);
    assertThat(lock).exists();
  }
}
