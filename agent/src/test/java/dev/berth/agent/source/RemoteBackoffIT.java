package dev.berth.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.agent.source.SourceFailure.Reason;
import dev.berth.agent.source.SourceSettings.Auth;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken primary (a real {@code git http-backend} that answers 503) is asked once per backoff,
 * not at every poll; its file:// mirror serves at every poll meanwhile. Requests are counted on the
 * server.
 */
class RemoteBackoffIT {
  @TempDir Path temp;
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private GitRepo repo;
  private GitHttpBackend primary;

  @BeforeEach
  void setUp() throws IOException {
    repo = GitRepo.init(temp.resolve("served").resolve("fleet"));
    repo.write("web.yaml", "a\n").commit("one");
    primary = GitHttpBackend.serve(temp.resolve("served"), Map.of(), 2);
  }

  @AfterEach
  void stop() {
    primary.close();
  }

  @Test
  void aFailingPrimaryIsNotAskedAgainBeforeItsBackoffEndsWhileTheMirrorServes() throws Exception {
    try (GitSource source = source(List.of(repo.url()))) {
      assertThat(source.poll().servedBy().role()).isEqualTo("primary");
      primary.failWith(503);

      long before = primary.requests();
      assertThat(source.poll().servedBy().role()).isEqualTo("mirror-1");
      long asked = primary.requests();
      clock.advance(Duration.ofSeconds(14)); // the first delay is 15 to 30 s
      SourceRevision meanwhile = source.poll();
      long whileBackingOff = primary.requests();
      clock.advance(Duration.ofSeconds(17));
      source.poll();

      assertThat(asked).isEqualTo(before + 1);
      assertThat(meanwhile.servedBy().role()).isEqualTo("mirror-1");
      assertThat(meanwhile.servedBy().primaryFailure().reason()).isEqualTo(Reason.UNREACHABLE);
      assertThat(whileBackingOff).isEqualTo(asked);
      assertThat(primary.requests()).isEqualTo(asked + 1);
    }
  }

  @Test
  void aSuccessResetsThePrimarysBackoff() throws Exception {
    try (GitSource source = source(List.of(repo.url()))) {
      source.poll();
      primary.failWith(503);
      source.poll(); // first failure: 15 to 30 s
      clock.advance(Duration.ofSeconds(31));
      source.poll(); // second failure: 30 to 60 s
      clock.advance(Duration.ofSeconds(61));
      primary.failWith(0);
      assertThat(source.poll().servedBy().role()).isEqualTo("primary");

      primary.failWith(503);
      source.poll();
      long asked = primary.requests();
      clock.advance(Duration.ofSeconds(31)); // a third failure in a row would wait 60 to 120 s
      source.poll();

      assertThat(primary.requests()).isEqualTo(asked + 1);
    }
  }

  @Test
  void aPrimaryAloneReportsItsLastFailureWhileBackingOffWithoutAskingTheServer() throws Exception {
    try (GitSource source = source(List.of())) {
      source.poll();
      primary.failWith(503);
      SourceFailure first = catchThrowableOfType(source::poll, SourceFailure.class);
      long asked = primary.requests();
      clock.advance(Duration.ofSeconds(10));

      SourceFailure again = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(primary.requests()).isEqualTo(asked);
      assertThat(again.reason()).isEqualTo(first.reason()).isEqualTo(Reason.UNREACHABLE);
      assertThat(again.getMessage())
          .startsWith(first.getMessage())
          .contains("; not asked again before 2026-12-01T10:00:");
      GitSourceIT.assertOneLine(again);
    }
  }

  private GitSource source(List<String> mirrors) {
    return new GitSource(
        new SourceSettings(
            primary.url("fleet"),
            mirrors,
            GitSourceIT.branch("main"),
            null,
            Duration.ofSeconds(10),
            Auth.NONE,
            null,
            false,
            null),
        temp.resolve("cache"),
        clock);
  }

  /** A clock the test moves by hand. */
  private static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
