package dev.berth.agent.e2e;

import dev.berth.agent.dbus.DbusMachines;
import dev.berth.agent.dbus.DbusStateSnapshots;
import dev.berth.agent.dbus.SystemBus;
import dev.berth.agent.probes.NetworkProbes;
import dev.berth.reconciler.host.HealthProbes.ProbeResult;
import dev.berth.reconciler.host.HealthProbes.ProbeTarget;
import dev.berth.reconciler.host.RuntimeFailure;
import dev.berth.reconciler.host.StateSnapshots;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The agent's live snapshot and probe ports driven from a command line inside a testbed host (no
 * engine calls them yet): {@code java -cp berth.jar:test-classes ... HostPortsTool COMMAND ARGS}.
 * Prints what the port returned; exit 2 for a {@link RuntimeFailure}, 3 for a refused snapshot.
 */
public final class HostPortsTool {
  private HostPortsTool() {}

  public static void main(String[] args) {
    try (SystemBus bus = SystemBus.connect()) {
      StateSnapshots snapshots =
          new DbusStateSnapshots(bus, Path.of("/"), DbusStateSnapshots.DEFAULT_CLONE_TIMEOUT);
      DbusMachines machines = new DbusMachines(bus);
      NetworkProbes probes = new NetworkProbes(machines::addresses);
      switch (args[0]) {
        case "take" -> snapshots.take(args[1], args[2]);
        case "restore" -> snapshots.restore(args[1], args[2]);
        case "release" -> snapshots.release(args[1]);
        case "list" -> snapshots.snapshots(args[1]).forEach(System.out::println);
        case "addresses" ->
            machines.addresses(args[1]).stream()
                .map(InetAddress::getHostAddress)
                .forEach(System.out::println);
        case "http" ->
            print(
                probes.http(
                    new ProbeTarget(args[1], false),
                    Integer.parseInt(args[2]),
                    args[3],
                    Duration.ofMillis(Long.parseLong(args[4]))));
        case "tcp" ->
            print(
                probes.tcp(
                    new ProbeTarget(args[1], false),
                    Integer.parseInt(args[2]),
                    Duration.ofMillis(Long.parseLong(args[3]))));
        default -> throw new IllegalArgumentException("unknown command " + args[0]);
      }
      System.out.println("ok");
    } catch (StateSnapshots.SnapshotRefused e) {
      System.out.println("refused: " + e.getMessage());
      System.exit(3);
    } catch (RuntimeFailure e) {
      System.out.println("failure: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void print(ProbeResult result) {
    System.out.println((result.healthy() ? "up " : "down ") + result.detail());
  }
}
