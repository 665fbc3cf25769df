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
    if (health == null || !health.waits()) {
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
      return unitDown(container).map(Unhealthy::why);
    }
    return await(container, health, health.timeoutSec());
  }

  private Optional<String> await(Container container, Health health, int timeoutSec) {
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSec).toNanos();
    Optional<Unhealthy> unhealthy;
    while ((unhealthy = check(container, health)).isPresent()) {
      if (unhealthy.get().down()) {
        return Optional.of(unhealthy.get().why());
      }
      if (System.nanoTime() > deadline) {
        return Optional.of("not ready within " + timeoutSec + " s (" + unhealthy.get().why() + ")");
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
      Optional<Unhealthy> lost = check(container, health);
      if (lost.isPresent()) {
        return Optional.of(
            "healthy, then not within its stabilizeSec of "
                + health.stabilizeSec()
                + " s: "
                + lost.get().why());
      }
    }
    return Optional.empty();
  }

  /** Why a container is not healthy right now, and whether no waiting mends it (it is down). */
  private record Unhealthy(String why, boolean down) {}

  /** Why it is not healthy right now. */
  private Optional<Unhealthy> check(Container container, Health health) {
    Optional<Unhealthy> down = unitDown(container);
    if (down.isPresent()) {
      return down;
    }
    if (!health.command().isEmpty()) {
      CommandResult result = runtime.exec().run(container.name(), health.command());
      if (result instanceof CommandResult.CouldNotStart) {
        return Optional.of(new Unhealthy(result.describe(), true));
      }
      if (!result.succeeded()) {
        return Optional.of(new Unhealthy("the health command " + result.describe(), false));
      }
    }
    ProbeTarget target = new ProbeTarget(container.name(), container.spec().hostNetwork());
    if (health.http() != null) {
      ProbeResult result =
          runtime.probes().http(target, health.http().port(), health.http().path(), PROBE_TIMEOUT);
      if (!result.healthy()) {
        return Optional.of(new Unhealthy("the HTTP probe: " + result.detail(), false));
      }
    }
    if (health.tcp() != null) {
      ProbeResult result = runtime.probes().tcp(target, health.tcp().port(), PROBE_TIMEOUT);
      if (!result.healthy()) {
        return Optional.of(new Unhealthy("the TCP probe: " + result.detail(), false));
      }
    }
    return Optional.empty();
  }

  /** The container's unit, when it is not running, with its journal's last line. */
  private Optional<Unhealthy> unitDown(Container container) {
    String unit = HostPaths.unit(container.name());
    UnitStatus status = runtime.observer().observe().unit(unit);
    return status.isActive()
        ? Optional.empty()
        : Optional.of(new Unhealthy("the unit is " + status + lastJournalLine(unit), true));
  }

  /** Its newest line, of whichever run: it explains, it does not decide. */
  private String lastJournalLine(String unit) {
    List<String> journal = runtime.journal().tail(unit, "", 5);
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
