package dev.berth.agent.cli;

import dev.berth.reconciler.host.HealthProbes;
import dev.berth.reconciler.host.StateSnapshots;

/** TEMPORARY (issue 13, replaced by the machined and network implementations before it lands). */
final class PendingPorts {
  static final HealthProbes PROBES =
      (HealthProbes)
          java.lang.reflect.Proxy.newProxyInstance(
              PendingPorts.class.getClassLoader(),
              new Class<?>[] {HealthProbes.class},
              (proxy, method, args) -> {
                throw new UnsupportedOperationException("health probes are not wired yet");
              });
  static final StateSnapshots SNAPSHOTS =
      (StateSnapshots)
          java.lang.reflect.Proxy.newProxyInstance(
              PendingPorts.class.getClassLoader(),
              new Class<?>[] {StateSnapshots.class},
              (proxy, method, args) -> {
                throw new UnsupportedOperationException("state snapshots are not wired yet");
              });

  private PendingPorts() {}
}
