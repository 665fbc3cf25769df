package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SeenDeliveriesTest {
  private final AtomicLong now = new AtomicLong();
  private final SeenDeliveries seen = new SeenDeliveries(3, Duration.ofMinutes(10), now::get);

  @Test
  void aDeliveryIsNewOnceWithinTheWindow() {
    assertThat(seen.firstTime(List.of("sig a", "id 1"))).isTrue();
    assertThat(seen.firstTime(List.of("sig a", "id 1"))).isFalse();
  }

  @Test
  void eitherKeyMakesADuplicate() {
    seen.firstTime(List.of("sig a", "id 1"));
    // A replay under a fresh delivery id still carries the signature of its body.
    assertThat(seen.firstTime(List.of("sig a", "id 2"))).isFalse();
    // A Git server's retry keeps its delivery id.
    assertThat(seen.firstTime(List.of("sig b", "id 1"))).isFalse();
    assertThat(seen.firstTime(List.of("sig c", "id 3"))).isTrue();
  }

  @Test
  void afterTheWindowTheSameDeliveryIsNewAgain() {
    seen.firstTime(List.of("sig a"));
    now.addAndGet(Duration.ofMinutes(10).minusNanos(1).toNanos());
    assertThat(seen.firstTime(List.of("sig a"))).isFalse();
    now.addAndGet(Duration.ofMinutes(10).toNanos());
    assertThat(seen.firstTime(List.of("sig a"))).isTrue();
  }

  @Test
  void memoryIsBoundedByForgettingTheOldest() {
    for (int i = 0; i < 10; i++) {
      seen.firstTime(List.of("sig " + i));
    }
    assertThat(seen.size()).isEqualTo(3);
    assertThat(seen.firstTime(List.of("sig 9"))).isFalse();
    assertThat(seen.firstTime(List.of("sig 0"))).isTrue();
  }

  @Test
  void aDeliveryWithoutKeysIsAlwaysNew() {
    assertThat(seen.firstTime(List.of())).isTrue();
    assertThat(seen.firstTime(List.of())).isTrue();
  }

  @Test
  void aForgottenDeliveryCountsAgain() {
    seen.firstTime(List.of("sig a", "id 1"));
    seen.forget(List.of("sig a", "id 1"));
    assertThat(seen.firstTime(List.of("sig a", "id 1"))).isTrue();
  }
}
