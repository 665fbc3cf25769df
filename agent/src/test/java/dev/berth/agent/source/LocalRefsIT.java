package dev.berth.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a local remote's refs directly says what JGit's ls-remote through its transport says. */
class LocalRefsIT {
  @TempDir Path temp;

  @Test
  void branchesAndTagsPeeledAsLsRemoteSaysThem() throws Exception {
    GitRepo remote = GitRepo.init(temp.resolve("manifests"));
    remote.write("web.yaml", "a\n").commit("one");
    remote.git("tag", "v1.0.0");
    remote.write("web.yaml", "b\n").commit("two");
    remote.git("tag", "-a", "-m", "annotated", "v2.0.0");
    remote.git("branch", "release");
    remote.git("pack-refs", "--all"); // some refs packed, as a long-lived repository has them
    remote.write("web.yaml", "c\n").commit("three");

    try (LocalRefs local = LocalRefs.of(remote.url()).orElseThrow()) {
      for (boolean heads : new boolean[] {true, false}) {
        Map<String, Ref> viaTransport =
            Git.lsRemoteRepository()
                .setRemote(remote.url())
                .setHeads(heads)
                .setTags(!heads)
                .callAsMap();

        assertThat(targets(local.list(heads).orElseThrow()))
            .as(heads ? "branches" : "tags")
            .isEqualTo(targets(viaTransport))
            .isNotEmpty();
      }
    }
  }

  @Test
  void aPathWithoutARepositorySaysNothingSoThatTheTransportReportsIt() throws Exception {
    GitRepo remote = GitRepo.init(temp.resolve("manifests"));
    remote.write("web.yaml", "a\n").commit("one");
    try (LocalRefs local = LocalRefs.of(remote.url()).orElseThrow()) {
      assertThat(local.list(true)).isPresent();
      Files.move(remote.dir(), temp.resolve("away"));

      assertThat(local.list(true)).isEmpty();

      Files.move(temp.resolve("away"), remote.dir());
      assertThat(local.list(true)).isPresent();
    }
    assertThat(LocalRefs.of("https://git.example.org/fleet.git")).isEmpty();
    assertThat(LocalRefs.of("ssh://git@git.example.org/fleet.git")).isEmpty();
    assertThat(LocalRefs.of("git@git.example.org:fleet.git")).isEmpty();
  }

  /** Each ref's commit: the peeled id of an annotated tag, as the wanted revision takes it. */
  private static Map<String, ObjectId> targets(Map<String, Ref> refs) {
    Map<String, ObjectId> targets = new TreeMap<>();
    refs.forEach(
        (name, ref) ->
            targets.put(
                name,
                ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId()));
    return targets;
  }
}
