package dev.berth.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {
  @Test
  void withoutNotifySocketThereIsNothingToNotify() {
    ServiceEnvironment environment = ServiceEnvironment.of(Map.of("HOME", "/root"), 42);

    assertThat(environment.notifySocket()).isEmpty();
    assertThat(environment.watchdog()).isEmpty();
  }

  @Test
  void readsTheSocketAndTheWatchdogMeantForThisProcess() {
    ServiceEnvironment environment =
        ServiceEnvironment.of(
            Map.of(
                "NOTIFY_SOCKET", "/run/systemd/notify",
                "WATCHDOG_USEC", "120000000",
                "WATCHDOG_PID", "42"),
            42);

    assertThat(environment.notifySocket()).contains("/run/systemd/notify");
    assertThat(environment.watchdog()).contains(Duration.ofMinutes(2));
  }

  @Test
  void aWatchdogMeantForAnotherProcessIsNotOurs() {
    ServiceEnvironment environment =
        ServiceEnvironment.of(
            Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "3000000", "WATCHDOG_PID", "7"), 42);

    assertThat(environment.watchdog()).isEmpty();
  }

  @Test
  void aWatchdogWithoutPidAppliesAndNonsenseIsIgnored() {
    assertThat(ServiceEnvironment.of(Map.of("WATCHDOG_USEC", "1500"), 1).watchdog())
        .isEqualTo(Optional.of(Duration.ofNanos(1_500_000)));
    assertThat(ServiceEnvironment.of(Map.of("WATCHDOG_USEC", "soon"), 1).watchdog()).isEmpty();
    assertThat(ServiceEnvironment.of(Map.of("WATCHDOG_USEC", "0"), 1).watchdog()).isEmpty();
  }
}
