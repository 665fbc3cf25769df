package dev.berth.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.agent.source.SourceFailure.Reason;
import dev.berth.agent.source.SourceSettings.Auth;
import dev.berth.agent.source.SourceSettings.Ref;
import dev.berth.reconciler.source.ManifestFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GitSource against real repositories made with the git CLI, over file:// URLs. */
class GitSourceIT {
  @TempDir Path temp;
  private GitRepo remote;
  private Path cache;

  @BeforeEach
  void setUp() throws IOException {
    remote = GitRepo.init(temp.resolve("manifests"));
    cache = temp.resolve("cache");
  }

  @Test
  void firstPollClonesIntoABareCacheAndReturnsTheTree() throws Exception {
    remote
        .write("apps/web.yaml", "kind: Container\n")
        .write("a.yml", "kind: Zone\n")
        .write("README.md", "not a manifest\n")
        .write(".github/ci.yaml", "hidden\n");
    String head = remote.commit("first");

    try (GitSource source = source(branch("main"), null)) {
      SourceRevision revision = source.poll();

      assertThat(revision.commit()).isEqualTo(head);
      assertThat(revision.verifiedSigner()).isNull();
      assertThat(paths(revision)).containsExactly("a.yml", "apps/web.yaml");
      assertThat(content(revision, "apps/web.yaml")).isEqualTo("kind: Container\n");
      assertThat(source.cacheRepository().resolve("HEAD")).exists();
      assertThat(source.cacheRepository().resolve("objects")).isDirectory();
      assertThat(source.cacheRepository().resolve("index")).doesNotExist(); // bare: no work tree
      assertThat(source.fetchCount()).isEqualTo(1);
    }
  }

  @Test
  void anUnchangedPollDoesNotFetchAndReturnsTheSameTree() throws Exception {
    remote.write("web.yaml", "a: 1\n").commit("first");
    try (GitSource source = source(branch("main"), null)) {
      SourceRevision first = source.poll();
      Path fetchHead = source.cacheRepository().resolve("FETCH_HEAD");
      FileTime old = FileTime.fromMillis(1_000_000_000_000L);
      Files.setLastModifiedTime(fetchHead, old);

      int polls = 200;
      long start = System.nanoTime();
      for (int i = 0; i < polls; i++) {
        assertThat(source.poll()).isSameAs(first);
      }
      long micros = (System.nanoTime() - start) / 1000 / polls;
      System.out.printf(
          "unchanged poll against file://: %d µs on average over %d polls%n", micros, polls);

      assertThat(source.fetchCount()).isEqualTo(1);
      assertThat(Files.getLastModifiedTime(fetchHead)).isEqualTo(old);
    }
  }

  @Test
  void aNewCommitIsPickedUp() throws Exception {
    remote.write("web.yaml", "a: 1\n").commit("first");
    try (GitSource source = source(branch("main"), null)) {
      SourceRevision first = source.poll();
      String second =
          remote.write("web.yaml", "a: 2\n").write("db.yaml", "b: 1\n").commit("second");

      SourceRevision next = source.poll();

      assertThat(next.commit()).isEqualTo(second).isNotEqualTo(first.commit());
      assertThat(paths(next)).containsExactly("db.yaml", "web.yaml");
      assertThat(content(next, "web.yaml")).isEqualTo("a: 2\n");
      assertThat(content(first, "web.yaml")).isEqualTo("a: 1\n"); // the old tree still reads
      assertThat(source.fetchCount()).isEqualTo(2);
    }
  }

  @Test
  void thePathSelectsASubdirectoryAndPathsAreRelativeToIt() throws Exception {
    remote
        .write("clusters/prod/web.yaml", "prod\n")
        .write("clusters/prod/apps/db.yaml", "db\n")
        .write("clusters/staging/web.yaml", "staging\n")
        .write("clusters/prod/.hidden/x.yaml", "hidden\n")
        .write("top.yaml", "top\n")
        .commit("first");
    try (GitSource source = source(branch("main"), "./clusters/prod/")) {
      SourceRevision revision = source.poll();

      assertThat(paths(revision)).containsExactly("apps/db.yaml", "web.yaml");
      assertThat(content(revision, "web.yaml")).isEqualTo("prod\n");
    }
  }

  @Test
  void aMissingPathOrAFileAsPathIsPathNotFound() throws Exception {
    remote.write("clusters/prod/web.yaml", "prod\n").commit("first");
    try (GitSource missing = source(branch("main"), "clusters/dev");
        GitSource file = source(branch("main"), "clusters/prod/web.yaml")) {
      SourceFailure noDir = catchThrowableOfType(missing::poll, SourceFailure.class);
      SourceFailure notDir = catchThrowableOfType(file::poll, SourceFailure.class);

      assertThat(noDir.reason()).isEqualTo(Reason.PATH_NOT_FOUND);
      assertThat(noDir.getMessage()).contains("clusters/dev").contains("missing");
      assertThat(notDir.reason()).isEqualTo(Reason.PATH_NOT_FOUND);
      assertThat(notDir.getMessage()).contains("not a directory");
    }
  }

  @Test
  void aTagIsFollowedAndAnAnnotatedTagLeadsToItsCommit() throws Exception {
    String tagged = remote.write("web.yaml", "v1\n").commit("one");
    remote.git("tag", "-a", "-m", "release", "release-1");
    remote.write("web.yaml", "later\n").commit("two");
    try (GitSource source = source(new Ref(null, "release-1", null, null), null)) {
      SourceRevision revision = source.poll();

      assertThat(revision.commit()).isEqualTo(tagged);
      assertThat(content(revision, "web.yaml")).isEqualTo("v1\n");
      assertThat(source.poll()).isSameAs(revision);
      assertThat(source.fetchCount()).isEqualTo(1);
    }
  }

  @Test
  void semverPicksTheHighestMatchingTagAndIgnoresPreReleasesUnlessAsked() throws Exception {
    String v100 = tag("v1.0.0", false);
    String v120 = tag("v1.2.0", true);
    String v1100 = tag("v1.10.0", true);
    String v1110rc = tag("v1.11.0-rc.1", true);
    String v200 = tag("2.0.0", false);
    tag("not-a-version", false);

    assertThat(pollSemver(">=1.0.0 <2.0.0")).isEqualTo(v1100);
    assertThat(pollSemver("^1.2")).isEqualTo(v1100);
    assertThat(pollSemver("~1.2.0")).isEqualTo(v120);
    assertThat(pollSemver("1.x")).isEqualTo(v1100);
    assertThat(pollSemver("1.0.0")).isEqualTo(v100);
    assertThat(pollSemver(">= 1.0.0-0 < 2.0.0")).isEqualTo(v1110rc);
    assertThat(pollSemver("*")).isEqualTo(v200);
    SourceFailure none = catchThrowableOfType(() -> pollSemver("^3"), SourceFailure.class);
    assertThat(none.reason()).isEqualTo(Reason.REF_NOT_FOUND);
    assertThat(none.getMessage()).contains("^3");
  }

  @Test
  void aNewTagInTheRangeIsPickedUp() throws Exception {
    tag("v1.0.0", true);
    try (GitSource source = source(new Ref(null, null, "^1", null), null)) {
      source.poll();
      String v110 = tag("v1.1.0", true);

      assertThat(source.poll().commit()).isEqualTo(v110);
    }
  }

  @Test
  void aPinnedCommitIsFetchedOnceAndNeverMoves() throws Exception {
    String old = remote.write("web.yaml", "old\n").commit("old");
    remote.write("web.yaml", "new\n").commit("new");
    try (GitSource source = source(new Ref(null, null, null, old), null)) {
      SourceRevision revision = source.poll();
      remote.write("web.yaml", "newer\n").commit("newer");

      assertThat(revision.commit()).isEqualTo(old);
      assertThat(content(revision, "web.yaml")).isEqualTo("old\n");
      assertThat(source.poll()).isSameAs(revision);
      assertThat(source.fetchCount()).isEqualTo(1);
    }
  }

  @Test
  void aPinnedCommitThatTheRemoteDoesNotHaveIsRefNotFound() throws Exception {
    remote.write("web.yaml", "a\n").commit("one");
    String unknown = "0123456789abcdef0123456789abcdef01234567";
    try (GitSource source = source(new Ref(null, null, null, unknown), null)) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.REF_NOT_FOUND);
      assertThat(failure.getMessage()).contains(unknown);
    }
    assertThatThrownBy(() -> source(new Ref(null, null, null, "0123abc"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("40-digit");
  }

  @Test
  void aForcePushIsFollowed() throws Exception {
    String base = remote.write("web.yaml", "a\n").commit("base");
    remote.write("web.yaml", "b\n").commit("abandoned");
    try (GitSource source = source(branch("main"), null)) {
      source.poll();
      remote.git("reset", "-q", "--hard", base);
      String rewritten = remote.write("web.yaml", "c\n").commit("rewritten");

      SourceRevision revision = source.poll();

      assertThat(revision.commit()).isEqualTo(rewritten);
      assertThat(content(revision, "web.yaml")).isEqualTo("c\n");
    }
  }

  @Test
  void aBranchResetToAKnownCommitNeedsNoFetch() throws Exception {
    String base = remote.write("web.yaml", "a\n").commit("base");
    try (GitSource source = source(branch("main"), null)) {
      source.poll();
      remote.write("web.yaml", "b\n").commit("next");
      source.poll();
      remote.git("reset", "-q", "--hard", base);

      assertThat(source.poll().commit()).isEqualTo(base);
      assertThat(source.fetchCount()).isEqualTo(2);
    }
  }

  @Test
  void aMissingBranchIsRefNotFound() throws Exception {
    remote.write("web.yaml", "a\n").commit("one");
    try (GitSource source = source(branch("production"), null)) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.REF_NOT_FOUND);
      assertThat(failure.getMessage())
          .isEqualTo("branch production does not exist in " + remote.url() + "; check source.ref");
    }
  }

  @Test
  void aRemovedRemoteIsUnreachableAndThePollAfterItsReturnWorks() throws Exception {
    remote.write("web.yaml", "a\n").commit("one");
    Path moved = temp.resolve("moved-away");
    try (GitSource source = source(branch("main"), null)) {
      source.poll();
      Files.move(remote.dir(), moved);

      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);
      assertThat(failure.reason()).isEqualTo(Reason.UNREACHABLE);
      assertOneLine(failure);
      assertThat(failure.getMessage()).contains(remote.url());

      Files.move(moved, remote.dir());
      String next = remote.write("web.yaml", "b\n").commit("two");
      assertThat(source.poll().commit()).isEqualTo(next);
    }
  }

  @Test
  void anUnreachableFirstPollLeavesNoCacheBehindAndRecovers() throws Exception {
    try (GitSource source = source(branch("main"), null)) {
      Path elsewhere = temp.resolve("elsewhere");
      Files.move(remote.dir(), elsewhere);
      assertThat(catchThrowableOfType(source::poll, SourceFailure.class).reason())
          .isEqualTo(Reason.UNREACHABLE);
      Files.move(elsewhere, remote.dir());
      String head = remote.write("web.yaml", "a\n").commit("one");

      assertThat(source.poll().commit()).isEqualTo(head);
    }
  }

  @Test
  void aCorruptCacheIsReportedAndReclonedAtTheNextPoll() throws Exception {
    remote.write("web.yaml", "a\n").commit("one");
    Path repository;
    try (GitSource first = source(branch("main"), null)) {
      first.poll();
      repository = first.cacheRepository();
    }
    try (Stream<Path> files = Files.walk(repository.resolve("objects"))) {
      for (Path object : files.filter(Files::isRegularFile).toList()) {
        if (!object.toString().endsWith(".idx")) {
          object.toFile().setWritable(true);
          Files.write(object, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        }
      }
    }
    try (GitSource restarted = source(branch("main"), null)) {
      SourceFailure failure = catchThrowableOfType(restarted::poll, SourceFailure.class);
      assertThat(failure.reason()).isEqualTo(Reason.CORRUPT);
      assertOneLine(failure);

      assertThat(paths(restarted.poll())).containsExactly("web.yaml");
    }
  }

  @Test
  void aCacheDeletedWhileTheAgentRunsIsClonedAgainAtTheNextPoll() throws Exception {
    remote.write("web.yaml", "a\n").commit("one");
    try (GitSource source = source(branch("main"), null)) {
      source.poll();
      Path repository = source.cacheRepository();
      deleteTree(repository);
      String two = remote.write("db.yaml", "b\n").commit("two");

      SourceRevision revision = source.poll();

      assertThat(revision.commit()).isEqualTo(two);
      assertThat(paths(revision)).containsExactly("db.yaml", "web.yaml");
      assertThat(repository).isDirectory();
    }
  }

  /**
   * Deletes {@code root} while JGit's background auto-gc of the last fetch may still add and remove
   * its lock files there: waits for its {@code gc.log.lock} to go, and walks again if a file
   * vanished under the walk.
   */
  private static void deleteTree(Path root) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (Files.exists(root.resolve("gc.log.lock")) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    for (int attempt = 1; Files.exists(root); attempt++) {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (java.io.UncheckedIOException | java.nio.file.DirectoryNotEmptyException e) {
        if (attempt == 10) {
          throw e;
        }
      }
    }
  }

  @Test
  void aCacheThatIsNotARepositoryIsReportedAndReplaced() throws Exception {
    String head = remote.write("web.yaml", "a\n").commit("one");
    Path repository;
    try (GitSource first = source(branch("main"), null)) {
      repository = first.cacheRepository();
    }
    Files.createDirectories(repository);
    Files.writeString(repository.resolve("config"), "[core\ngarbage");
    try (GitSource source = source(branch("main"), null)) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);
      assertThat(failure.reason()).isEqualTo(Reason.CORRUPT);

      assertThat(source.poll().commit()).isEqualTo(head);
    }
  }

  @Test
  void aFullDiskIsNamedAsSuchAndThePollAfterSpaceIsFreedWorks() throws Exception {
    // A real full file system: a 256 KiB tmpfs for the cache, and a commit of 2 MiB that does
    // not compress. Mounting needs root, as CI and the testbed run.
    byte[] noise = new byte[2 * 1024 * 1024];
    new java.util.Random(7).nextBytes(noise);
    Files.write(remote.dir().resolve("blob.bin"), noise);
    String head = remote.write("web.yaml", "a\n").commit("big");
    Files.createDirectories(cache);
    mount("-t", "tmpfs", "-o", "size=256k", "tmpfs", cache.toString());
    try (GitSource source = source(branch("main"), null)) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.DISK_FULL);
      assertThat(failure.getMessage()).contains("disk holding the Git cache is full");
      assertOneLine(failure);

      mount("-o", "remount,size=64m", cache.toString());
      assertThat(source.poll().commit()).isEqualTo(head);
    } finally {
      new ProcessBuilder("umount", "-l", cache.toString()).inheritIO().start().waitFor();
    }
  }

  private static void mount(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("mount"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
  }

  @Test
  void invalidSettingsSayWhatIsWrong() {
    assertThatThrownBy(() -> source(new Ref("main", "v1", null, null), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly one");
    assertThatThrownBy(() -> source(new Ref(null, null, ">=x.y", null), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("semver");
    assertThatThrownBy(() -> source(branch("main"), "../etc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("source.path");
    assertThatThrownBy(
            () ->
                new GitSource(
                    new SourceSettings(
                        remote.url(),
                        branch("main"),
                        null,
                        Duration.ofSeconds(5),
                        new Auth(null, null, temp.resolve("token")),
                        null),
                    cache))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
    assertThatThrownBy(
            () ->
                new GitSource(
                    new SourceSettings(
                        "ssh://git@example.com/x.git",
                        branch("main"),
                        null,
                        Duration.ofSeconds(5),
                        Auth.NONE,
                        null),
                    cache))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("knownHostsFile");
  }

  @Test
  void aPlainLocalPathWorksLikeAFileUrl() throws Exception {
    String head = remote.write("web.yaml", "a\n").commit("one");
    try (GitSource source =
        new GitSource(
            new SourceSettings(
                remote.dir().toString(),
                branch("main"),
                null,
                Duration.ofSeconds(5),
                Auth.NONE,
                null),
            cache)) {
      assertThat(source.poll().commit()).isEqualTo(head);
    }
  }

  private String tag(String name, boolean annotated) throws IOException {
    String commit =
        remote
            .write("version.txt", name + "\n")
            .write("web.yaml", name + "\n")
            .commit("release " + name);
    if (annotated) {
      remote.git("tag", "-a", "-m", "release " + name, name);
    } else {
      remote.git("tag", name);
    }
    return commit;
  }

  private String pollSemver(String range) throws SourceFailure {
    try (GitSource source = source(new Ref(null, null, range, null), null)) {
      return source.poll().commit();
    }
  }

  private GitSource source(Ref ref, String path) {
    return new GitSource(
        new SourceSettings(remote.url(), ref, path, Duration.ofSeconds(10), Auth.NONE, null),
        cache);
  }

  static Ref branch(String name) {
    return new Ref(name, null, null, null);
  }

  static List<String> paths(SourceRevision revision) throws IOException {
    return revision.tree().manifests().stream().map(ManifestFile::path).toList();
  }

  static String content(SourceRevision revision, String path) throws IOException {
    return revision.tree().manifests().stream()
        .filter(f -> f.path().equals(path))
        .map(f -> new String(f.content(), StandardCharsets.UTF_8))
        .findFirst()
        .orElseThrow();
  }

  static void assertOneLine(SourceFailure failure) {
    assertThat(failure.getMessage())
        .doesNotContain("\n")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
  }
}
