package dev.berth.agent.dbus;

import dev.berth.reconciler.host.Machines;
import java.time.Duration;
import org.freedesktop.dbus.DBusPath;

/** berth's {@link Machines}: machined's manager over the system bus. */
public final class DbusMachines implements Machines {
  private final SystemBus bus;

  public DbusMachines(SystemBus bus) {
    this.bus = bus;
  }

  @Override
  public boolean isRegistered(String machine) {
    return SystemBus.call(
        "list machines",
        () -> bus.machined().ListMachines().stream().anyMatch(m -> m.name.equals(machine)));
  }

  @Override
  public void terminate(String machine) {
    SystemBus.call(
        "terminate machine " + machine,
        () -> {
          bus.machined().TerminateMachine(machine);
          return null;
        });
    // TerminateMachine returns once the machine is told to go; wait until machined forgets it.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (isRegistered(machine) && System.nanoTime() < deadline) {
      sleep(100);
    }
  }

  /** The PID of the machine's leader (its init), in the host's PID namespace. */
  public long leader(String machine) {
    return SystemBus.call(
        "find the leader of " + machine,
        () -> {
          DBusPath path = bus.machined().GetMachine(machine);
          Object value =
              bus.properties(Machine1Manager.BUS_NAME, path.getPath())
                  .Get("org.freedesktop.machine1.Machine", "Leader");
          return ((Number) value).longValue();
        });
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
