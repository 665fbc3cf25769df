package dev.berth.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.files.DirectoryManifestTree;
import dev.berth.agent.source.SourceSettings.Auth;
import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit's tree reads like a checkout of it: every answer of {@link CommitTree} is compared with
 * {@link DirectoryManifestTree} on the git work tree of the same commit.
 */
class CommitTreeIT {
  private static final List<String> PATHS =
      List.of(
          "",
          ".",
          "apps",
          "apps/web.yaml",
          "apps/notes.txt",
          "dirlink",
          "dirlink/web.yaml",
          "dirlink/../apps",
          "apps/../apps/web.yaml",
          "link-in.yaml",
          "link-out.yaml",
          "link-abs.yaml",
          "link-dangling.yaml",
          "link-dir.yaml",
          "loop.yaml",
          "chain.yaml",
          "sub",
          "sub/up.yaml",
          "sub/deeper/back.yaml",
          "escape",
          "apps/web.yaml/x",
          "nope",
          "nope/deeper",
          "..",
          "../outside.yaml",
          "/etc/passwd",
          ".hidden/x.yaml",
          "apps/.secret.yaml",
          "big.yaml",
          "module");

  @TempDir Path temp;
  private GitRepo repo;

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(temp.resolve("outside.yaml"), "outside: true\n");
    repo = GitRepo.init(temp.resolve("manifests"));
    repo.write("apps/web.yaml", "web\n")
        .write("apps/db.yml", "db\n")
        .write("apps/notes.txt", "notes\n")
        .write("apps/.secret.yaml", "hidden file\n")
        .write(".hidden/x.yaml", "hidden dir\n")
        .write("big.yaml", "#".repeat(YamlLimits.DEFAULT.maxFileBytes() + 1))
        .write("sub/own.yaml", "own\n")
        .symlink("link-in.yaml", "apps/web.yaml")
        .symlink("chain.yaml", "link-in.yaml")
        .symlink("link-out.yaml", "../outside.yaml")
        .symlink("link-abs.yaml", "/etc/hostname")
        .symlink("link-dangling.yaml", "nope.yaml")
        .symlink("link-dir.yaml", "apps")
        .symlink("loop.yaml", "loop.yaml")
        .symlink("dirlink", "apps")
        .symlink("escape", "..")
        .symlink("sub/up.yaml", "../apps/web.yaml")
        .symlink("sub/deeper/back.yaml", "../own.yaml")
        .symlink("sub/out.yaml", "../../outside.yaml");
    repo.commit("tree");
  }

  @Test
  void manifestsAndPathKindsMatchACheckoutOfTheCommit() throws Exception {
    ManifestTree checkout = new DirectoryManifestTree(repo.dir(), YamlLimits.DEFAULT);
    ManifestTree commit = tree(null);

    assertThat(describe(commit.manifests())).isEqualTo(describe(checkout.manifests()));
    for (String path : PATHS) {
      assertThat(commit.kindOf(path)).as(path).isEqualTo(checkout.kindOf(path));
    }
  }

  @Test
  void inASubdirectoryTheSubdirectoryIsTheRepository() throws Exception {
    ManifestTree checkout =
        new DirectoryManifestTree(repo.dir().resolve("sub"), YamlLimits.DEFAULT);
    ManifestTree commit = tree("sub");

    assertThat(describe(commit.manifests())).isEqualTo(describe(checkout.manifests()));
    for (String path :
        List.of(
            "", "own.yaml", "up.yaml", "deeper/back.yaml", "out.yaml", "..", "../apps/web.yaml")) {
      assertThat(commit.kindOf(path)).as(path).isEqualTo(checkout.kindOf(path));
    }
  }

  @Test
  void symlinksOutOfTheTreeAndHugeFilesAreRefusedWithAReason() throws Exception {
    List<ManifestFile> files = tree(null).manifests();

    assertThat(refusal(files, "link-out.yaml")).contains("outside the repository");
    assertThat(refusal(files, "link-abs.yaml")).contains("outside the repository");
    assertThat(refusal(files, "big.yaml")).contains("more than the limit");
    assertThat(refusal(files, "link-in.yaml")).isNull();
    assertThat(tree(null).kindOf("sub/up.yaml")).isEqualTo(PathKind.FILE);
    assertThat(tree("sub").kindOf("up.yaml")).isEqualTo(PathKind.OUTSIDE);
    // A checkout says MISSING here, as nothing exists at the target outside; a commit's tree
    // never looks outside itself, and the path leads out of it.
    assertThat(tree(null).kindOf("escape/x")).isEqualTo(PathKind.OUTSIDE);
  }

  @Test
  void aRepositoryOverTheTotalBoundIsRefusedWholeAsACheckoutOfItIs() throws Exception {
    GitRepo big = GitRepo.init(temp.resolve("big"));
    for (int i = 0; i < 6; i++) {
      big.write("apps/m" + i + ".yaml", "#".repeat(1000 + i));
    }
    big.write("notes.txt", "#".repeat(100_000)).commit("six manifests of about 1000 bytes");
    YamlLimits limits = YamlLimits.DEFAULT.withRepositoryBounds(5000, 100, 100);

    List<ManifestFile> commit;
    try (Repository repository =
            new FileRepositoryBuilder().setGitDir(big.dir().resolve(".git").toFile()).build();
        ObjectReader reader = repository.newObjectReader()) {
      ObjectId tree = repository.parseCommit(repository.resolve("HEAD")).getTree();
      commit = CommitTree.read(reader, tree, limits).manifests();
    }

    assertThat(describe(commit))
        .containsExactly(
            "apps/m5.yaml | the repository holds more than 5000 bytes of manifests (6 files, 6015"
                + " bytes, this one the largest); none is read: keep what one host reads smaller"
                + " (move the rest out of the source's path, or split the repository)");
    assertThat(describe(new DirectoryManifestTree(big.dir(), limits).manifests()))
        .isEqualTo(describe(commit));
  }

  @Test
  void aSubmoduleIsADirectoryAndNoManifest() throws Exception {
    GitRepo module = GitRepo.init(temp.resolve("module"));
    String moduleHead = module.write("m.yaml", "m\n").commit("module");
    repo.git("update-index", "--add", "--cacheinfo", "160000," + moduleHead + ",module.yaml");
    repo.git("commit", "-q", "-m", "gitlink");

    ManifestTree commit = tree(null);

    assertThat(commit.kindOf("module.yaml")).isEqualTo(PathKind.DIRECTORY);
    assertThat(commit.manifests()).extracting(ManifestFile::path).doesNotContain("module.yaml");
  }

  private ManifestTree tree(String path) throws Exception {
    try (GitSource source =
        new GitSource(
            new SourceSettings(
                repo.url(),
                GitSourceIT.branch("main"),
                path,
                Duration.ofSeconds(10),
                Auth.NONE,
                null),
            temp.resolve("cache"))) {
      return source.poll().tree();
    }
  }

  private static List<String> describe(List<ManifestFile> files) {
    return files.stream()
        .map(
            f ->
                f.path()
                    + " | "
                    + (f.refusal() != null
                        ? f.refusal()
                        : new String(f.content(), java.nio.charset.StandardCharsets.UTF_8)))
        .toList();
  }

  private static String refusal(List<ManifestFile> files, String path) {
    return files.stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow().refusal();
  }
}
