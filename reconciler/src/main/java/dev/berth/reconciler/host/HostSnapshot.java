package dev.berth.reconciler.host;

import java.util.Map;
import java.util.Set;

/** What runs on a host, observed in few calls: the nspawn units and the registered machines. */
public record HostSnapshot(Map<String, UnitStatus> units, Set<String> machines) {
  public HostSnapshot {
    units = Map.copyOf(units);
    machines = Set.copyOf(machines);
  }

  public UnitStatus unit(String unitName) {
    return units.getOrDefault(unitName, UnitStatus.INACTIVE);
  }
}
