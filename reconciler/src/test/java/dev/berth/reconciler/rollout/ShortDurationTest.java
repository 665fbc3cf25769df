package dev.berth.reconciler.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShortDurationTest {

  @Test
  void showsTheTwoLargestUnitsAndDropsZeros() {
    assertThat(ShortDuration.of(Duration.ofSeconds(12))).isEqualTo("12s");
    assertThat(ShortDuration.of(Duration.ofSeconds(72))).isEqualTo("1m12s");
    assertThat(ShortDuration.of(Duration.ofMinutes(4))).isEqualTo("4m");
    assertThat(ShortDuration.of(Duration.ofMinutes(62))).isEqualTo("1h2m");
    assertThat(ShortDuration.of(Duration.ofHours(3))).isEqualTo("3h");
    assertThat(ShortDuration.of(Duration.ofHours(49))).isEqualTo("49h");
  }

  @Test
  void roundsUpSoThatAWaitNeverShowsAsNothingLeft() {
    assertThat(ShortDuration.of(Duration.ofMillis(300))).isEqualTo("1s");
    assertThat(ShortDuration.of(Duration.ofMillis(239_300))).isEqualTo("4m");
    assertThat(ShortDuration.of(Duration.ofSeconds(3601))).isEqualTo("1h1m");
    assertThat(ShortDuration.of(Duration.ofMillis(3_599_500))).isEqualTo("1h");
  }
}
