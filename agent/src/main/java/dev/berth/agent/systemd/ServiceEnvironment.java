package dev.berth.agent.systemd;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * What systemd tells a service it started through its environment: where to send notifications
 * ({@code $NOTIFY_SOCKET}) and, when the unit has {@code WatchdogSec=}, how often it must ping
 * ({@code $WATCHDOG_USEC}, meant for the process {@code $WATCHDOG_PID} when that is set).
 */
public record ServiceEnvironment(Optional<String> notifySocket, Optional<Duration> watchdog) {

  /** Reads {@code environment} as seen by the process {@code pid}. */
  public static ServiceEnvironment of(Map<String, String> environment, long pid) {
    Optional<String> socket =
        Optional.ofNullable(environment.get("NOTIFY_SOCKET")).filter(s -> !s.isBlank());
    return new ServiceEnvironment(socket, watchdog(environment, pid));
  }

  /** The environment of this process. */
  public static ServiceEnvironment current() {
    return of(System.getenv(), ProcessHandle.current().pid());
  }

  private static Optional<Duration> watchdog(Map<String, String> environment, long pid) {
    String usec = environment.get("WATCHDOG_USEC");
    String owner = environment.get("WATCHDOG_PID");
    if (usec == null || owner != null && !owner.strip().equals(Long.toString(pid))) {
      return Optional.empty();
    }
    try {
      long micros = Long.parseLong(usec.strip());
      return micros > 0 ? Optional.of(Duration.of(micros, ChronoUnit.MICROS)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
