package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final TokenBucket bucket = new TokenBucket(3, Duration.ofSeconds(1), now::get);

  @Test
  void aBurstPassesThenTheNextWaitsForItsToken() {
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isZero();

    advance(Duration.ofMillis(300));
    assertThat(bucket.tryTake()).isEqualTo(Duration.ofMillis(700));
  }

  @Test
  void tokensComeBackOnePerPeriodUpToTheBurst() {
    drain();
    advance(Duration.ofMillis(2500));
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isZero();
    // The half period already earned counts towards the next token.
    assertThat(bucket.tryTake()).isEqualTo(Duration.ofMillis(500));

    advance(Duration.ofHours(1));
    drain();
    assertThat(bucket.tryTake()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aSustainedFloodGetsOneTokenPerPeriod() {
    drain();
    int granted = 0;
    for (int step = 0; step < 100; step++) {
      advance(Duration.ofMillis(100));
      if (bucket.tryTake().isZero()) {
        granted++;
      }
    }
    assertThat(granted).isEqualTo(10);
  }

  @Test
  void refusesANonsensicalBucket() {
    assertThatThrownBy(() -> new TokenBucket(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void drain() {
    while (bucket.tryTake().isZero()) {
      // take every token there is
    }
  }

  private void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }
}
