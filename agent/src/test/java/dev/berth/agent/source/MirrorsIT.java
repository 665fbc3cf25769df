package dev.berth.agent.source;

import static dev.berth.agent.source.GitSourceIT.assertOneLine;
import static dev.berth.agent.source.GitSourceIT.branch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.agent.files.AppliedRevisionFile;
import dev.berth.agent.source.SourceFailure.Reason;
import dev.berth.agent.source.SourceSettings.Auth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A primary and its mirrors: real repositories made with the git CLI, over file:// URLs. */
class MirrorsIT {
  @TempDir Path temp;
  private GitRepo primary;
  private GitRepo mirror;
  private Path cache;

  @BeforeEach
  void setUp() throws IOException {
    primary = GitRepo.init(temp.resolve("primary"));
    mirror = GitRepo.init(temp.resolve("mirror"));
    cache = temp.resolve("cache");
  }

  /** The mirror takes the primary's history as it is now. */
  private void sync() throws IOException {
    mirror.git("fetch", "-q", "--update-head-ok", primary.url(), "+refs/heads/*:refs/heads/*");
  }

  @Test
  void theMirrorServesWhileThePrimaryIsDownAndThePrimaryAgainOnceBack() throws Exception {
    String one = primary.write("web.yaml", "a\n").commit("one");
    sync();
    Path away = temp.resolve("primary-away");
    try (GitSource source = source(null)) {
      SourceRevision first = source.poll();
      assertThat(first.commit()).isEqualTo(one);
      assertThat(first.servedBy().role()).isEqualTo("primary");
      assertThat(first.servedBy().primaryFailure()).isNull();

      String two = primary.write("web.yaml", "b\n").commit("two");
      sync();
      Files.move(primary.dir(), away);
      SourceRevision fromMirror = source.poll();

      assertThat(fromMirror.commit()).isEqualTo(two);
      assertThat(fromMirror.servedBy().role()).isEqualTo("mirror-1");
      assertThat(fromMirror.servedBy().url()).isEqualTo(mirror.url());
      assertThat(fromMirror.servedBy().primaryFailure().reason()).isEqualTo(Reason.UNREACHABLE);

      Files.move(away, primary.dir());
      SourceRevision back = source.poll();
      assertThat(back.commit()).isEqualTo(two);
      assertThat(back.servedBy().role()).isEqualTo("primary");
    }
  }

  @Test
  void aStaleMirrorCannotRollTheHostBack() throws Exception {
    primary.write("web.yaml", "a\n").commit("one");
    sync(); // the mirror stops here
    String two = primary.write("web.yaml", "b\n").commit("two");
    Path record = temp.resolve("applied-revision");
    AppliedRevisionFile applied = new AppliedRevisionFile(record, primary.url());
    try (GitSource source = source(applied)) {
      assertThat(source.poll().commit()).isEqualTo(two);
      applied.record(two);

      Files.move(primary.dir(), temp.resolve("primary-away"));
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.REWIND_REFUSED);
      assertThat(failure.remote()).isEqualTo("mirror-1");
      assertThat(failure.getMessage())
          .contains("does not descend from " + two)
          .endsWith("(from mirror-1 " + mirror.url() + ")");
      assertOneLine(failure);
    }
  }

  @Test
  void whenEveryRemoteIsDownThePrimarysFailureIsReportedAndTheMirrorsNamed() throws Exception {
    primary.write("web.yaml", "a\n").commit("one");
    sync();
    try (GitSource source = source(null)) {
      source.poll();
      String primaryUrl = primary.url();
      String mirrorUrl = mirror.url(); // taken while the directories exist
      Files.move(primary.dir(), temp.resolve("primary-away"));
      Files.move(mirror.dir(), temp.resolve("mirror-away"));

      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.UNREACHABLE);
      assertThat(failure.remote()).isEqualTo("primary");
      assertThat(failure.getMessage())
          .contains(primaryUrl)
          .endsWith("; the mirrors failed too (" + mirrorUrl + ")");
      assertOneLine(failure);
    }
  }

  private GitSource source(AppliedRevisionFile applied) {
    GitSource source =
        new GitSource(
            new SourceSettings(
                primary.url(),
                List.of(mirror.url()),
                branch("main"),
                null,
                Duration.ofSeconds(10),
                Auth.NONE,
                null,
                false,
                null),
            cache);
    return applied == null ? source : source.refusingRewinds(applied);
  }
}
