package dev.berth.agent.http;

import java.util.List;
import java.util.Map;

/**
 * Where a container's resource use comes from: systemd's accounting of its unit (in the agent,
 * {@code dbus.DbusServiceAccounting} over the system bus).
 */
@FunctionalInterface
public interface UnitAccounting {
  /**
   * The named unsigned 64-bit properties of {@code unit}'s {@code org.freedesktop.systemd1.Service}
   * interface as systemd reports them, each in a long's 64 bits: UINT64_MAX, systemd's "not
   * accounted", arrives as -1; a boolean property ({@code IPAccounting}) as 1 for yes and 0 for no.
   * A property left out of the answer is not known either.
   *
   * @throws dev.berth.reconciler.host.RuntimeFailure when the unit cannot be read
   */
  Map<String, Long> read(String unit, List<String> properties);
}
