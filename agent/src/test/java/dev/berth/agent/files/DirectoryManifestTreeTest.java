package dev.berth.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryManifestTreeTest {
  @TempDir Path tmp;

  @Test
  void readsYamlOutsideHiddenDirectoriesAndRefusesSymlinksOut() throws IOException {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    Files.writeString(repo.resolve("b.yaml"), "b: 1\n");
    Files.createDirectories(repo.resolve("apps"));
    Files.writeString(repo.resolve("apps/a.yml"), "a: 1\n");
    Files.writeString(repo.resolve("README.md"), "# not a manifest\n");
    Files.createDirectories(repo.resolve(".git"));
    Files.writeString(repo.resolve(".git/config.yaml"), "x: 1\n");
    Files.writeString(tmp.resolve("secret.yaml"), "password: hunter2\n");
    Files.createSymbolicLink(repo.resolve("leak.yaml"), tmp.resolve("secret.yaml"));
    Files.createSymbolicLink(repo.resolve("inside.yaml"), repo.resolve("b.yaml"));

    var files = new DirectoryManifestTree(repo, YamlLimits.DEFAULT).manifests();

    assertThat(files)
        .extracting(ManifestFile::path)
        .containsExactly("apps/a.yml", "b.yaml", "inside.yaml", "leak.yaml");
    ManifestFile leak = files.get(3);
    assertThat(leak.refusal()).isEqualTo("symlink leads outside the repository; not read");
    assertThat(leak.content()).isEmpty();
    assertThat(files.get(2).refusal()).isNull();
  }

  @Test
  void refusesHugeFilesWithoutReadingThem() throws IOException {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    Files.write(repo.resolve("big.yaml"), new byte[2048]);

    var files = new DirectoryManifestTree(repo, new YamlLimits(1024, 64, 1000)).manifests();

    assertThat(files.get(0).refusal())
        .startsWith("file is 2048 bytes, more than the limit of 1024");
  }

  @Test
  void aDirectoryOverTheTotalBoundIsOneRefusalAtItsLargestFileAndNothingIsRead()
      throws IOException {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    Files.write(repo.resolve("a.yaml"), new byte[400]);
    Files.write(repo.resolve("b.yaml"), new byte[700]);
    Files.write(repo.resolve("c.yaml"), new byte[300]);
    Files.write(repo.resolve("huge.yaml"), new byte[5000]); // refused alone, and not counted
    YamlLimits limits = new YamlLimits(1024, 64, 1000).withRepositoryBounds(1200, 100, 100);

    var files = new DirectoryManifestTree(repo, limits).manifests();

    assertThat(files).hasSize(1);
    assertThat(files.get(0).path()).isEqualTo("b.yaml");
    assertThat(files.get(0).refusal())
        .isEqualTo(
            "the repository holds more than 1200 bytes of manifests (4 files, 1400 bytes, this"
                + " one the largest); none is read: keep what one host reads smaller (move the"
                + " rest out of the source's path, or split the repository)");

    Files.delete(repo.resolve("c.yaml"));
    assertThat(new DirectoryManifestTree(repo, limits).manifests())
        .as("at 1100 bytes, within the bound")
        .extracting(ManifestFile::refusal)
        .containsExactly(
            null,
            null,
            "file is 5000 bytes, more than the limit of 1024 bytes for a" + " manifest file");
  }

  @Test
  void aDirectoryOfMoreFilesThanTheBoundIsRefused() throws IOException {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    for (int i = 0; i < 5; i++) {
      Files.writeString(repo.resolve("m" + i + ".yaml"), "a: 1\n");
    }
    YamlLimits limits = YamlLimits.DEFAULT.withRepositoryBounds(1 << 20, 4, 100);

    var files = new DirectoryManifestTree(repo, limits).manifests();

    assertThat(files).hasSize(1);
    assertThat(files.get(0).refusal())
        .startsWith("the repository holds more than 4 manifest files (5); none is read");
  }

  @Test
  void pathKindsStayInsideTheRepository() throws IOException {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    Files.createDirectories(repo.resolve("nix"));
    Files.writeString(repo.resolve("nix/web.nix"), "{ }\n");
    Files.writeString(tmp.resolve("outside.nix"), "{ }\n");
    Files.createSymbolicLink(repo.resolve("nix/out.nix"), tmp.resolve("outside.nix"));
    var tree = new DirectoryManifestTree(repo, YamlLimits.DEFAULT);

    assertThat(tree.kindOf("nix/web.nix")).isEqualTo(PathKind.FILE);
    assertThat(tree.kindOf("nix")).isEqualTo(PathKind.DIRECTORY);
    assertThat(tree.kindOf("nix/none.nix")).isEqualTo(PathKind.MISSING);
    assertThat(tree.kindOf("nix/out.nix")).isEqualTo(PathKind.OUTSIDE);
    assertThat(tree.kindOf("../outside.nix")).isEqualTo(PathKind.OUTSIDE);
  }
}
