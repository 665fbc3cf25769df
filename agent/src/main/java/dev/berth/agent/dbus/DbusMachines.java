package dev.berth.agent.dbus;

import dev.berth.reconciler.host.Machines;
import dev.berth.reconciler.host.RuntimeFailure;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The machine's addresses as machined reads them from its network namespace, IPv4 and IPv6 in its
   * kernel's order; empty when it has none (a fresh veth before DHCP).
   */
  public List<InetAddress> addresses(String machine) {
    List<MachineAddress> raw =
        SystemBus.call(
            "list the addresses of " + machine, () -> bus.machined().GetMachineAddresses(machine));
    List<InetAddress> addresses = new ArrayList<>();
    for (MachineAddress entry : raw) {
      if (entry.family == MachineAddress.AF_INET || entry.family == MachineAddress.AF_INET6) {
        try {
          addresses.add(InetAddress.getByAddress(entry.address));
        } catch (UnknownHostException e) {
          throw new RuntimeFailure(
              "machined gave " + machine + " an address of " + entry.address.length + " bytes", e);
        }
      }
    }
    return addresses;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
