package dev.berth.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.source.SourceFailure.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteBackoffTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final SourceFailure DOWN =
      new SourceFailure(Reason.UNREACHABLE, null, "cannot connect to git://x", null);

  @Test
  void theFirstDelayIsDrawnFromTheUpperHalfOfThirtySeconds() {
    assertThat(new RemoteBackoff(() -> 0.0).failed(DOWN, NOW)).isEqualTo(NOW.plusSeconds(15));
    assertThat(new RemoteBackoff(() -> 0.5).failed(DOWN, NOW)).isEqualTo(NOW.plusMillis(22_500));
    assertThat(new RemoteBackoff(() -> 0.999999).failed(DOWN, NOW))
        .isBetween(NOW.plusMillis(29_900), NOW.plusSeconds(30));
  }

  @Test
  void eachFailureDoublesTheDelayUpToTenMinutes() {
    RemoteBackoff backoff = new RemoteBackoff(() -> 0.0);
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      delays.add(Duration.between(NOW, backoff.failed(DOWN, NOW)));
    }

    assertThat(delays)
        .containsExactly(
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            Duration.ofSeconds(120),
            Duration.ofSeconds(240),
            Duration.ofSeconds(300),
            Duration.ofSeconds(300),
            Duration.ofSeconds(300));
  }

  @Test
  void theLastFailureStandsUntilTheBackoffEnds() {
    RemoteBackoff backoff = new RemoteBackoff(() -> 0.0);
    Instant until = backoff.failed(DOWN, NOW);

    assertThat(backoff.waiting(NOW)).containsSame(DOWN);
    assertThat(backoff.waiting(until.minusMillis(1))).containsSame(DOWN);
    assertThat(backoff.waiting(until)).isEmpty();
  }

  @Test
  void aSuccessResetsTheDelayToTheFirst() {
    RemoteBackoff backoff = new RemoteBackoff(() -> 0.0);
    backoff.failed(DOWN, NOW);
    backoff.failed(DOWN, NOW);
    backoff.failed(DOWN, NOW);

    backoff.succeeded();

    assertThat(backoff.waiting(NOW)).isEmpty();
    assertThat(backoff.until()).isNull();
    assertThat(backoff.failed(DOWN, NOW)).isEqualTo(NOW.plusSeconds(15));
  }

  @Test
  void aRemoteThatNeverFailedIsNotWaitedFor() {
    assertThat(new RemoteBackoff(() -> 0.0).waiting(NOW)).isEmpty();
  }
}
