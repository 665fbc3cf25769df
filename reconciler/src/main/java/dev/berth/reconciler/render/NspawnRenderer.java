package dev.berth.reconciler.render;

import dev.berth.reconciler.model.BindMount;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.model.ForwardPort;
import dev.berth.reconciler.model.Network;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a container's {@code .nspawn} unit as RFC 0108 and its proof of concept do; the raw
 * {@code spec.nspawn} settings are merged last and replace generated values of the same key.
 */
final class NspawnRenderer {
  static final String NIX_DB = "/nix/var/nix/db";
  static final String NIX_DAEMON_SOCKET = "/nix/var/nix/daemon-socket";

  UnitFile render(Container container, Optional<String> system) {
    ContainerSpec spec = container.spec();
    UnitFile unit = new UnitFile().section("Exec").section("Files").section("Network");
    if (spec.image().isNixos()) {
      unit.add("Exec", "Boot", "no");
      system.ifPresent(toplevel -> unit.add("Exec", "Parameters", toplevel + "/init"));
      // With Boot=no nspawn would stop PID 1 with SIGTERM; NixOS's stage 2 wants systemd's signal.
      unit.add("Exec", "KillSignal", "SIGRTMIN+3");
      if (!spec.ephemeral()) {
        unit.add("Exec", "LinkJournal", "guest");
      }
    } else {
      unit.add("Exec", "Boot", "yes");
    }
    if (spec.health() != null && spec.health().notifyReady()) {
      // The unit is active only once the container's init says READY=1 (sd_notify): its health.
      unit.add("Exec", "NotifyReady", "yes");
    }
    if (spec.ephemeral()) {
      unit.add("Exec", "Ephemeral", "yes");
    }
    if (spec.privateUsers() != null) {
      unit.add("Exec", "PrivateUsers", spec.privateUsers());
    }
    if (!spec.capabilities().isEmpty()) {
      unit.add("Exec", "Capability", String.join(" ", spec.capabilities()));
    }
    if (spec.network() != null && spec.network().resolvConf() != null) {
      unit.add("Exec", "ResolvConf", spec.network().resolvConf());
    }
    if (spec.image().isNixos()) {
      unit.add("Files", "BindReadOnly", HostPaths.NIX_STORE);
      if (spec.image().nixos().mountDaemonSocket()) {
        unit.add("Files", "BindReadOnly", NIX_DB);
        unit.add("Files", "Bind", NIX_DAEMON_SOCKET);
      }
    }
    for (BindMount mount : spec.bindMounts()) {
      String host = SystemdEscape.bindPath(mount.hostPath());
      String value =
          mount.hostPath().equals(mount.containerPath())
              ? host
              : host + ":" + SystemdEscape.bindPath(mount.containerPath());
      unit.add("Files", mount.readOnly() ? "BindReadOnly" : "Bind", value);
    }
    network(unit, spec.network());
    for (Map.Entry<String, Map<String, List<String>>> section : spec.nspawn().entrySet()) {
      for (Map.Entry<String, List<String>> setting : section.getValue().entrySet()) {
        unit.replace(section.getKey(), setting.getKey(), setting.getValue());
      }
    }
    return unit;
  }

  private static void network(UnitFile unit, Network network) {
    if (network == null) {
      // nspawn's default would be a private network; the host's must be asked for explicitly.
      unit.add("Network", "Private", "no").add("Network", "VirtualEthernet", "no");
      return;
    }
    unit.add("Network", "Private", "yes");
    unit.add("Network", "VirtualEthernet", network.hasVeth() ? "yes" : "no");
    if (network.zone() != null) {
      unit.add("Network", "Zone", network.zone());
    }
    if (network.bridge() != null) {
      unit.add("Network", "Bridge", network.bridge());
    }
    unit.addAll("Network", "MACVLAN", network.macvlan());
    unit.addAll("Network", "IPVLAN", network.ipvlan());
    for (ForwardPort port : network.forwardPorts()) {
      unit.add(
          "Network", "Port", port.protocol() + ":" + port.hostPort() + ":" + port.containerPort());
    }
  }
}
