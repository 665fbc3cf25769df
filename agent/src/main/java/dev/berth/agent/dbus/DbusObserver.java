package dev.berth.agent.dbus;

import dev.berth.reconciler.host.HostObserver;
import dev.berth.reconciler.host.HostSnapshot;
import dev.berth.reconciler.host.UnitStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** berth's {@link HostObserver} over the system bus: one call to systemd, one to machined. */
public final class DbusObserver implements HostObserver {
  private static final String NSPAWN_UNITS = "systemd-nspawn@*.service";

  private final SystemBus bus;

  public DbusObserver(SystemBus bus) {
    this.bus = bus;
  }

  @Override
  public HostSnapshot observe() {
    return SystemBus.call(
        "observe the host",
        () -> {
          Map<String, UnitStatus> units = new HashMap<>();
          for (UnitInfo unit :
              bus.systemd().ListUnitsByPatterns(List.of(), List.of(NSPAWN_UNITS))) {
            units.put(unit.name, new UnitStatus(unit.activeState, unit.subState));
          }
          Set<String> names = new HashSet<>();
          for (MachineInfo machine : bus.machined().ListMachines()) {
            names.add(machine.name);
          }
          return new HostSnapshot(units, names);
        });
  }
}
