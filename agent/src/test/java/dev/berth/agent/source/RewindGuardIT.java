package dev.berth.agent.source;

import static dev.berth.agent.source.GitSourceIT.assertOneLine;
import static dev.berth.agent.source.GitSourceIT.branch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.agent.files.AppliedRevisionFile;
import dev.berth.agent.source.SourceFailure.Reason;
import dev.berth.agent.source.SourceSettings.Auth;
import dev.berth.agent.source.SourceSettings.Ref;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revisions never go backwards: real repositories made with the git CLI, over file:// URLs. */
class RewindGuardIT {
  @TempDir Path temp;
  private GitRepo remote;
  private Path cache;
  private Path record;

  @BeforeEach
  void setUp() throws IOException {
    remote = GitRepo.init(temp.resolve("manifests"));
    cache = temp.resolve("cache");
    record = temp.resolve("state/applied-revision");
  }

  @Test
  void aDescendantOfTheAppliedCommitIsAccepted() throws Exception {
    String one = remote.write("web.yaml", "a\n").commit("one");
    applied(one);
    String two = remote.write("web.yaml", "b\n").commit("two");

    try (GitSource source = guarded(branch("main"), false)) {
      assertThat(source.poll().commit()).isEqualTo(two);
    }
  }

  @Test
  void aForcePushToOlderHistoryIsRefusedAndAllowRewindLetsItThrough() throws Exception {
    String base = remote.write("web.yaml", "a\n").commit("base");
    String newer = remote.write("web.yaml", "b\n").commit("newer");
    try (GitSource source = guarded(branch("main"), false)) {
      assertThat(source.poll().commit()).isEqualTo(newer);
    }
    applied(newer);
    remote.git("reset", "-q", "--hard", base);

    try (GitSource source = guarded(branch("main"), false)) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.REWIND_REFUSED);
      assertThat(failure.revision()).isEqualTo(base);
      assertThat(failure.getMessage())
          .isEqualTo(
              "branch main at "
                  + base
                  + " does not descend from "
                  + newer
                  + ", applied here (a force-push to older history, a stale mirror or a lower"
                  + " tag?); the host keeps what it runs (set source.allowRewind: true if"
                  + " intended)");
      assertOneLine(failure);
      assertThat(catchThrowableOfType(source::poll, SourceFailure.class))
          .as("the same refusal at the next poll")
          .isSameAs(failure);
    }
    try (GitSource allowed = guarded(branch("main"), true)) {
      assertThat(allowed.poll().commit()).isEqualTo(base);
    }
  }

  @Test
  void aRewrittenHistoryWithoutTheAppliedCommitIsRefused() throws Exception {
    remote.write("web.yaml", "a\n").commit("one");
    String applied = remote.write("web.yaml", "b\n").commit("two");
    applied(applied);
    remote.git("checkout", "-q", "--orphan", "fresh");
    remote.write("web.yaml", "c\n").commit("rewritten from scratch");
    remote.git("branch", "-q", "-M", "fresh", "main");

    try (GitSource source = guarded(branch("main"), false)) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.REWIND_REFUSED);
      assertThat(failure.getMessage())
          .contains("cannot be shown to descend from " + applied)
          .contains("no longer has (history rewritten?)");
    }
  }

  @Test
  void aSemverTagLowerThanTheAppliedOneIsRefused() throws Exception {
    remote.write("web.yaml", "1\n").commit("v1");
    remote.git("tag", "v1.0.0");
    String two = remote.write("web.yaml", "2\n").commit("v2");
    remote.git("tag", "v2.0.0");
    try (GitSource source = guarded(new Ref(null, null, ">=1.0.0", null), false)) {
      assertThat(source.poll().commit()).isEqualTo(two);
    }
    applied(two);
    remote.git("tag", "-d", "v2.0.0"); // the newer release withdrawn: highest match is v1 now

    try (GitSource source = guarded(new Ref(null, null, ">=1.0.0", null), false)) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);
      assertThat(failure.reason()).isEqualTo(Reason.REWIND_REFUSED);
      assertThat(failure.getMessage()).contains("does not descend from " + two);
    }
  }

  @Test
  void aPinnedCommitIsTheOperatorsIntentAndPassesEvenWhenOlder() throws Exception {
    String old = remote.write("web.yaml", "a\n").commit("old");
    String newer = remote.write("web.yaml", "b\n").commit("newer");
    applied(newer);

    try (GitSource source = guarded(new Ref(null, null, null, old), false)) {
      assertThat(source.poll().commit()).isEqualTo(old);
    }
  }

  @Test
  void theRecordSurvivesARestartAndARecordOfAnotherSourceIsNoConstraint() throws Exception {
    String one = remote.write("web.yaml", "a\n").commit("one");
    new AppliedRevisionFile(record, remote.url()).record(one);

    assertThat(new AppliedRevisionFile(record, remote.url()).commit()).contains(one);
    assertThat(new AppliedRevisionFile(record, "file:///elsewhere").commit()).isEmpty();
    assertThat(new AppliedRevisionFile(temp.resolve("none"), remote.url()).commit()).isEmpty();
    Files.writeString(record, "garbage\n");
    assertThatThrownBy(() -> new AppliedRevisionFile(record, remote.url()))
        .isInstanceOf(IOException.class)
        .hasMessage(
            record
                + ": not a record of an applied revision; delete it to accept any revision once");
  }

  @Test
  void aDeletedCacheDoesNotLiftTheRule() throws Exception {
    String base = remote.write("web.yaml", "a\n").commit("base");
    String newer = remote.write("web.yaml", "b\n").commit("newer");
    try (GitSource source = guarded(branch("main"), false)) {
      assertThat(source.poll().commit()).isEqualTo(newer);
      new AppliedRevisionFile(record, remote.url()).record(newer);
    }
    deleteTree(cache);
    remote.git("reset", "-q", "--hard", base);

    try (GitSource source = guarded(branch("main"), false)) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);
      assertThat(failure.reason()).isEqualTo(Reason.REWIND_REFUSED);
      assertThat(failure.getMessage()).contains("cannot be shown to descend from " + newer);
    }
  }

  // JGit may still be packing in the background after a fetch: delete until nothing is left.
  private static void deleteTree(Path dir) throws Exception {
    for (int attempt = 0; Files.exists(dir); attempt++) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (IOException raced) {
        if (attempt > 50) {
          throw raced;
        }
        Thread.sleep(20);
      }
    }
  }

  private void applied(String commit) throws IOException {
    new AppliedRevisionFile(record, remote.url()).record(commit);
  }

  private GitSource guarded(Ref ref, boolean allowRewind) throws IOException {
    return new GitSource(
            new SourceSettings(
                remote.url(), ref, null, Duration.ofSeconds(10), Auth.NONE, null, allowRewind),
            cache)
        .refusingRewinds(new AppliedRevisionFile(record, remote.url()));
  }
}
