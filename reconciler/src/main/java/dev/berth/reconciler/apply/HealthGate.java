package dev.berth.reconciler.apply;

import dev.berth.reconciler.host.CommandResult;
import dev.berth.reconciler.host.HealthProbes.ProbeResult;
import dev.berth.reconciler.host.HealthProbes.ProbeTarget;
import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.host.UnitStatus;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Health;
import dev.berth.reconciler.render.HostPaths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whether an activated container is healthy (docs/rollback.md): its unit stays active (with {@code
 * notifyReady}, systemd made it active only once the container's init said READY), and each of its
 * probes (command, HTTP, TCP) succeeds within the timeout; then, for {@code stabilizeSec}, it stays
 * so. Without probes and stabilization, an active unit is healthy at once.
 */
final class HealthGate {
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final HostRuntime runtime;

  HealthGate(HostRuntime runtime) {
    this.runtime = runtime;
  }

  /** Why the container is not healthy by its manifest's health; empty when it is. */
  Optional<String> await(Container container) {
    Health health = container.spec().health();
    if (health == null || (!health.probes() && health.stabilizeSec() == 0)) {
      return Optional.empty();
    }
    return await(
        container,
        health,
        Optional.ofNullable(container.spec().rollback().timeoutSec()).orElse(health.timeoutSec()));
  }

  /**
   * Why the container is not healthy by {@code health} (an earlier generation's, for a rollback):
   * without it, whether its unit is active.
   */
  Optional<String> await(Container container, Health health) {
    if (health == null) {
      UnitStatus status = runtime.observer().observe().unit(HostPaths.unit(container.name()));
      return status.isActive()
          ? Optional.empty()
          : Optional.of(
              "the unit is " + status + lastJournalLine(HostPaths.unit(container.name())));
    }
    return await(container, health, health.timeoutSec());
  }

  private Optional<String> await(Container container, Health health, int timeoutSec) {
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSec).toNanos();
    Optional<String> unhealthy;
    while ((unhealthy = check(container, health)).isPresent()) {
      if (unhealthy.get().startsWith(DOWN)) {
        return Optional.of(unhealthy.get().substring(DOWN.length()));
      }
      if (System.nanoTime() > deadline) {
        return Optional.of("not ready within " + timeoutSec + " s (" + unhealthy.get() + ")");
      }
      if (!pause(POLL)) {
        return Optional.of("interrupted while waiting for its health");
      }
    }
    long stable = System.nanoTime() + Duration.ofSeconds(health.stabilizeSec()).toNanos();
    while (System.nanoTime() < stable) {
      if (!pause(Duration.ofMillis(500))) {
        return Optional.of("interrupted while it stabilized");
      }
      Optional<String> lost = check(container, health);
      if (lost.isPresent()) {
        String why = lost.get().startsWith(DOWN) ? lost.get().substring(DOWN.length()) : lost.get();
        return Optional.of(
            "healthy, then not within its stabilizeSec of " + health.stabilizeSec() + " s: " + why);
      }
    }
    return Optional.empty();
  }

  /** A reason that no waiting mends: the unit is down. */
  private static final String DOWN = "down:";

  /** Why it is not healthy right now, {@link #DOWN}-prefixed when its unit is not running. */
  private Optional<String> check(Container container, Health health) {
    String unit = HostPaths.unit(container.name());
    UnitStatus status = runtime.observer().observe().unit(unit);
    if (!status.isActive()) {
      return Optional.of(DOWN + "the unit is " + status + lastJournalLine(unit));
    }
    if (!health.command().isEmpty()) {
      CommandResult result = runtime.exec().run(container.name(), health.command());
      if (result instanceof CommandResult.CouldNotStart) {
        return Optional.of(DOWN + result.describe());
      }
      if (!result.succeeded()) {
        return Optional.of("the health command " + result.describe());
      }
    }
    ProbeTarget target = new ProbeTarget(container.name(), container.spec().hostNetwork());
    if (health.http() != null) {
      ProbeResult result =
          runtime.probes().http(target, health.http().port(), health.http().path(), PROBE_TIMEOUT);
      if (!result.healthy()) {
        return Optional.of("the HTTP probe: " + result.detail());
      }
    }
    if (health.tcp() != null) {
      ProbeResult result = runtime.probes().tcp(target, health.tcp().port(), PROBE_TIMEOUT);
      if (!result.healthy()) {
        return Optional.of("the TCP probe: " + result.detail());
      }
    }
    return Optional.empty();
  }

  private String lastJournalLine(String unit) {
    List<String> journal = runtime.journal().tail(unit, 5);
    return journal.isEmpty() ? "" : " (journal: " + journal.get(journal.size() - 1) + ")";
  }

  private static boolean pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
