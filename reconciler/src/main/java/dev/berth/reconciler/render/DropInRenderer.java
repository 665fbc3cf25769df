package dev.berth.reconciler.render;

import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.model.Credential;
import dev.berth.reconciler.model.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the drop-in for {@code systemd-nspawn@NAME.service}: the reload that activates a new
 * configuration inside the container, the start timeout, cgroup limits, an {@code ExecStart} only
 * where the template's cannot do (credentials, a root tree outside /var/lib/machines), and the
 * identity of an unpacked image ({@link ImageIdentity}), which systemd skips.
 */
final class DropInRenderer {
  /** The template's own command line in systemd 252, kept so that {@code .nspawn} settings win. */
  static final String TEMPLATE_EXEC_START =
      "systemd-nspawn --quiet --keep-unit --boot --link-journal=try-guest --network-veth -U"
          + " --settings=override --machine=%i";

  /**
   * RFC 0108's reload: the new system's {@code switch-to-configuration test} inside the running
   * container, entered through its leader's namespaces. The system is read from the {@code .nspawn}
   * file at reload time, so that a new system changes {@code Parameters=} and nothing else.
   */
  static final String NIXOS_RELOAD =
      "sh -c 'system=$$(dirname \"$$(sed -n \"s/^Parameters=//p\" /etc/systemd/nspawn/%i.nspawn)\")"
          + " && exec nsenter --target \"$$(machinectl show --property=Leader --value %i)\" --all"
          + " -- \"$$system/bin/switch-to-configuration\" test'";

  /**
   * A container that is not NixOS is asked to reload by SIGHUP to its init, as init systems know.
   */
  static final String SIGHUP_RELOAD = "machinectl kill --kill-whom=leader --signal=SIGHUP %i";

  UnitFile render(Container container) {
    ContainerSpec spec = container.spec();
    UnitFile unit = new UnitFile();
    Network network = spec.network();
    if (network != null && network.bridge() != null) {
      String device =
          "sys-subsystem-net-devices-" + SystemdEscape.escape(network.bridge()) + ".device";
      unit.add("Unit", "Wants", device).add("Unit", "After", device);
    }
    // Boot order; the agent itself also waits for dependencies to run before it starts a container.
    for (String dependency : spec.dependsOn()) {
      unit.add("Unit", "After", HostPaths.unit(dependency));
    }
    unit.section("Service");
    // An empty assignment clears what the template or an earlier drop-in set.
    unit.add("Service", "ExecReload", "");
    unit.add("Service", "ExecReload", spec.image().isNixos() ? NIXOS_RELOAD : SIGHUP_RELOAD);
    if (spec.timeoutStartSec() != null) {
      unit.add("Service", "TimeoutStartSec", spec.timeoutStartSec());
    }
    if (spec.resources().memoryMax() != null) {
      unit.add("Service", "MemoryMax", spec.resources().memoryMax());
    }
    if (spec.resources().cpuQuota() != null) {
      unit.add("Service", "CPUQuota", spec.resources().cpuQuota());
    }
    if (spec.resources().tasksMax() != null) {
      unit.add("Service", "TasksMax", spec.resources().tasksMax());
    }
    List<String> extraArguments = new ArrayList<>();
    if (spec.image().directory() != null) {
      extraArguments.add(
          SystemdEscape.execArgument("--directory=" + spec.image().directory().path()));
    }
    for (Credential credential : spec.credentials()) {
      if (credential.sealed()) {
        // systemd decrypts it into the unit's credentials directory (%d), which nspawn passes on.
        unit.add(
            "Service",
            "LoadCredentialEncrypted",
            credential.id()
                + ":/"
                + SystemdEscape.specifiers(
                    HostPaths.credential(container.name(), credential.id())));
        extraArguments.add(
            SystemdEscape.execArgument("--load-credential=" + credential.id() + ":")
                + "%d/"
                + SystemdEscape.execArgument(credential.id()));
      } else {
        extraArguments.add(
            SystemdEscape.execArgument(
                "--load-credential=" + credential.id() + ":" + credential.path()));
      }
    }
    if (!extraArguments.isEmpty()) {
      unit.add("Service", "ExecStart", "");
      unit.add(
          "Service", "ExecStart", TEMPLATE_EXEC_START + " " + String.join(" ", extraArguments));
    }
    ImageIdentity.of(container)
        .ifPresent(image -> unit.add(ImageIdentity.SECTION, ImageIdentity.KEY, image));
    return unit;
  }
}
