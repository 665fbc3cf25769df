package dev.berth.reconciler.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.manifest.Sourced;
import dev.berth.reconciler.model.BindMount;
import dev.berth.reconciler.model.Cidr;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.model.Credential;
import dev.berth.reconciler.model.ForwardPort;
import dev.berth.reconciler.model.InterfaceName;
import dev.berth.reconciler.model.LabelRequirement;
import dev.berth.reconciler.model.Network;
import dev.berth.reconciler.model.NetworkFamily;
import dev.berth.reconciler.model.Placement;
import dev.berth.reconciler.model.Resources;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.model.ZoneFamily;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The checks that each document passes on its own, whatever host it lands on. */
final class DocumentRules {
  private static final Pattern PRIVATE_USERS =
      Pattern.compile("^(pick|yes|no|identity|managed|\\d+(:\\d+)?)$");
  private static final Pattern TIME_SPAN =
      Pattern.compile(
          "^(infinity|\\d+|(\\d+(\\.\\d+)?\\s*(us|usec|ms|msec|s|sec|seconds?|m|min|minutes?|h|hr|hours?|d|days?|w|weeks?)\\s*)+)$");
  private static final Pattern BYTES =
      Pattern.compile("^(infinity|\\d+[KMGTPE]?|\\d+(\\.\\d+)?%)$");
  private static final Pattern PERCENT = Pattern.compile("^\\d+(\\.\\d+)?%$");
  private static final Pattern TASKS = Pattern.compile("^(infinity|\\d+|\\d+(\\.\\d+)?%)$");
  private static final Pattern CREDENTIAL_ID = Pattern.compile("^[A-Za-z0-9_.-]{1,255}$");
  private static final Pattern LABEL_KEY =
      Pattern.compile(
          "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");

  private final ManifestTree tree;
  private final Diagnostics diagnostics;

  DocumentRules(ManifestTree tree, Diagnostics diagnostics) {
    this.tree = tree;
    this.diagnostics = diagnostics;
  }

  void container(Sourced<Container> sourced) {
    Container container = sourced.value();
    ContainerSpec spec = container.spec();
    oneLineStrings(sourced, sourced.document().root(), new ArrayList<>());
    String name = container.name();
    if (!Names.isDnsLabel(name) || name.length() > Names.MAX_CONTAINER_NAME) {
      error(
          sourced,
          "metadata.name: \""
              + name
              + "\" is not a valid machine name: use at most "
              + Names.MAX_CONTAINER_NAME
              + " lowercase letters, digits and '-', starting and ending with a letter or digit",
          "metadata",
          "name");
    } else if (name.length() > Names.CONTAINER_NAME_WARNING) {
      diagnostics.warning(
          sourced.file(),
          sourced.mark("metadata", "name"),
          "metadata.name: \""
              + name
              + "\" has "
              + name.length()
              + " characters; the host interface ve-"
              + name
              + (name.length() + 3 <= Names.MAX_IFNAME
                  ? " is at the "
                      + Names.MAX_IFNAME
                      + "-byte limit of interface names; one character more and"
                      + " systemd shortens it"
                  : " is longer than the "
                      + Names.MAX_IFNAME
                      + " bytes an interface name may have: systemd names it "
                      + InterfaceName.shortened("ve-" + name)
                      + " (systemd 250 and later; "
                      + InterfaceName.truncated("ve-" + name)
                      + " before), and berth's network file matches both"));
    }
    placement(sourced, spec.placement());
    image(sourced, spec);
    if (spec.network() != null) {
      network(sourced, spec.network());
    }
    for (int i = 0; i < spec.bindMounts().size(); i++) {
      BindMount mount = spec.bindMounts().get(i);
      path(sourced, PathRules.absolute(mount.hostPath()), "spec", "bindMounts", i, "hostPath");
      if (sourced.document().root().path("spec").path("bindMounts").path(i).has("containerPath")) {
        path(
            sourced,
            PathRules.absolute(mount.containerPath()),
            "spec",
            "bindMounts",
            i,
            "containerPath");
      }
    }
    for (int i = 0; i < spec.credentials().size(); i++) {
      Credential credential = spec.credentials().get(i);
      if (!CREDENTIAL_ID.matcher(credential.id()).matches()) {
        error(
            sourced,
            "spec.credentials[" + i + "].id: use letters, digits, '_', '.' and '-'",
            "spec",
            "credentials",
            i,
            "id");
      }
      path(sourced, PathRules.absolute(credential.path()), "spec", "credentials", i, "path");
    }
    if (spec.privateUsers() != null && !PRIVATE_USERS.matcher(spec.privateUsers()).matches()) {
      error(
          sourced,
          "spec.privateUsers: must be pick, no, identity or a base UID (optionally UID:RANGE)",
          "spec",
          "privateUsers");
    }
    if (spec.timeoutStartSec() != null && !TIME_SPAN.matcher(spec.timeoutStartSec()).matches()) {
      error(
          sourced,
          "spec.timeoutStartSec: must be seconds or a systemd time span such as 90s or 5min",
          "spec",
          "timeoutStartSec");
    }
    resources(sourced, spec.resources());
    for (int i = 0; i < spec.dependsOn().size(); i++) {
      String target = spec.dependsOn().get(i);
      if (!Names.isDnsLabel(target)) {
        error(
            sourced,
            "spec.dependsOn[" + i + "]: \"" + target + "\" is not a container name",
            "spec",
            "dependsOn",
            i);
      } else if (target.equals(name)) {
        error(
            sourced,
            "spec.dependsOn[" + i + "]: a container cannot depend on itself",
            "spec",
            "dependsOn",
            i);
      }
    }
  }

  void zone(Sourced<Zone> sourced) {
    Zone zone = sourced.value();
    oneLineStrings(sourced, sourced.document().root(), new ArrayList<>());
    String name = zone.name();
    if (!Names.isDnsLabel(name) || name.length() > Names.MAX_ZONE_NAME) {
      error(
          sourced,
          "metadata.name: \""
              + name
              + "\" is not a valid zone name: the bridge vz-"
              + name
              + " must fit in "
              + Names.MAX_IFNAME
              + " bytes, so use at most "
              + Names.MAX_ZONE_NAME
              + " lowercase letters, digits and '-'",
          "metadata",
          "name");
    }
    placement(sourced, zone.spec().placement());
    zoneFamily(sourced, zone.spec().v4(), "v4", true);
    zoneFamily(sourced, zone.spec().v6(), "v6", false);
  }

  private void placement(Sourced<?> sourced, Placement placement) {
    if (placement.hosts() != null) {
      for (int i = 0; i < placement.hosts().size(); i++) {
        String host = placement.hosts().get(i);
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
          error(
              sourced,
              "spec.placement.hosts[" + i + "]: \"" + host + "\" is not a host name",
              "spec",
              "placement",
              "hosts",
              i);
        }
      }
    }
    if (placement.selector() == null) {
      return;
    }
    for (String key : placement.selector().matchLabels().keySet()) {
      if (!LABEL_KEY.matcher(key).matches()) {
        error(
            sourced,
            "spec.placement.selector.matchLabels: \"" + key + "\" is not a label key",
            "spec",
            "placement",
            "selector",
            "matchLabels");
      }
    }
    List<LabelRequirement> expressions = placement.selector().matchExpressions();
    for (int i = 0; i < expressions.size(); i++) {
      LabelRequirement requirement = expressions.get(i);
      boolean wantsValues =
          requirement.operator().equals("In") || requirement.operator().equals("NotIn");
      if (wantsValues && requirement.values().isEmpty()) {
        error(
            sourced,
            "spec.placement.selector.matchExpressions["
                + i
                + "]: "
                + requirement.operator()
                + " needs values",
            "spec",
            "placement",
            "selector",
            "matchExpressions",
            i);
      } else if (!wantsValues && !requirement.values().isEmpty()) {
        error(
            sourced,
            "spec.placement.selector.matchExpressions["
                + i
                + "]: "
                + requirement.operator()
                + " takes no values",
            "spec",
            "placement",
            "selector",
            "matchExpressions",
            i,
            "values");
      }
    }
  }

  private void image(Sourced<Container> sourced, ContainerSpec spec) {
    if (spec.image().nixos() != null) {
      String file = spec.image().nixos().file();
      String reason = PathRules.relative(file);
      if (reason != null) {
        error(sourced, "spec.image.nixos.file: " + reason, "spec", "image", "nixos", "file");
        return;
      }
      PathKind kind = kindOf(file);
      switch (kind) {
        case FILE -> {}
        case OUTSIDE ->
            error(
                sourced,
                "spec.image.nixos.file: \""
                    + file
                    + "\" leads outside the repository (through a symlink)",
                "spec",
                "image",
                "nixos",
                "file");
        case MISSING ->
            error(
                sourced,
                "spec.image.nixos.file: \"" + file + "\" does not exist in the repository",
                "spec",
                "image",
                "nixos",
                "file");
        case DIRECTORY ->
            error(
                sourced,
                "spec.image.nixos.file: \"" + file + "\" is a directory; name the Nix file",
                "spec",
                "image",
                "nixos",
                "file");
      }
    }
    if (spec.image().directory() != null) {
      path(
          sourced,
          PathRules.absolute(spec.image().directory().path()),
          "spec",
          "image",
          "directory",
          "path");
    }
  }

  private void network(Sourced<Container> sourced, Network network) {
    if (network.zone() != null && !Names.isDnsLabel(network.zone())) {
      error(
          sourced,
          "spec.network.zone: \"" + network.zone() + "\" is not a zone name",
          "spec",
          "network",
          "zone");
    }
    if (network.bridge() != null && !Names.isInterfaceName(network.bridge())) {
      error(
          sourced,
          "spec.network.bridge: \"" + network.bridge() + "\" is not an interface name",
          "spec",
          "network",
          "bridge");
    }
    if (network.zone() != null && network.bridge() != null) {
      error(sourced, "spec.network: set zone or bridge, not both", "spec", "network", "bridge");
    }
    family(sourced, network, network.v4(), "v4", true);
    family(sourced, network, network.v6(), "v6", false);
    for (int i = 0; i < network.dns().size(); i++) {
      if (Cidr.parseAddress(network.dns().get(i)).isEmpty()) {
        error(
            sourced,
            "spec.network.dns[" + i + "]: \"" + network.dns().get(i) + "\" is not an IP address",
            "spec",
            "network",
            "dns",
            i);
      }
    }
    for (int i = 0; i < network.forwardPorts().size(); i++) {
      ForwardPort port = network.forwardPorts().get(i);
      if (!validPort(port.hostPort())) {
        error(
            sourced,
            "spec.network.forwardPorts[" + i + "].hostPort: must be a port from 1 to 65535",
            "spec",
            "network",
            "forwardPorts",
            i,
            "hostPort");
      }
      // Unwritten, containerPort is hostPort, which is reported above.
      boolean containerPortWritten =
          sourced
              .document()
              .root()
              .path("spec")
              .path("network")
              .path("forwardPorts")
              .path(i)
              .has("containerPort");
      if (containerPortWritten && !validPort(port.containerPort())) {
        error(
            sourced,
            "spec.network.forwardPorts[" + i + "].containerPort: must be a port from 1 to 65535",
            "spec",
            "network",
            "forwardPorts",
            i,
            "containerPort");
      }
    }
    interfaces(sourced, network.macvlan(), "macvlan");
    interfaces(sourced, network.ipvlan(), "ipvlan");
  }

  private void family(
      Sourced<Container> sourced, Network network, NetworkFamily family, String key, boolean v4) {
    cidrs(sourced, family.containerPool(), v4, "spec", "network", key, "static", "containerPool");
    cidrs(sourced, family.hostAddresses(), v4, "spec", "network", key, "static", "hostAddresses");
    if (network.zone() != null && !family.hostAddresses().isEmpty()) {
      error(
          sourced,
          "spec.network."
              + key
              + ".static.hostAddresses: a container in a zone uses the zone's"
              + " hostAddresses; set them on Zone "
              + network.zone(),
          "spec",
          "network",
          key,
          "static",
          "hostAddresses");
    }
    if (network.bridge() != null && !family.hostAddresses().isEmpty()) {
      error(
          sourced,
          "spec.network."
              + key
              + ".static.hostAddresses: the addresses of bridge "
              + network.bridge()
              + " are not berth's to set",
          "spec",
          "network",
          key,
          "static",
          "hostAddresses");
    }
    if (family.gateway() != null) {
      Optional<Cidr> gateway = Cidr.parse(family.gateway(), false);
      if (gateway.isEmpty() || gateway.get().isV4() != v4) {
        error(
            sourced,
            "spec.network."
                + key
                + ".gateway: \""
                + family.gateway()
                + "\" is not an IP"
                + (v4 ? "v4" : "v6")
                + " address",
            "spec",
            "network",
            key,
            "gateway");
      }
    }
  }

  private void zoneFamily(Sourced<Zone> sourced, ZoneFamily family, String key, boolean v4) {
    cidrs(sourced, family.hostAddresses(), v4, "spec", key, "hostAddresses");
    if (family.addrPool() != null) {
      cidrs(sourced, family.addrPool(), v4, "spec", key, "addrPool");
    }
  }

  private void cidrs(Sourced<?> sourced, List<String> values, boolean v4, Object... path) {
    for (int i = 0; i < values.size(); i++) {
      Optional<Cidr> cidr = Cidr.parse(values.get(i), true);
      if (cidr.isEmpty() || cidr.get().isV4() != v4) {
        Object[] at = append(path, i);
        error(
            sourced,
            SchemaCheck.dotted(List.of(at))
                + ": \""
                + values.get(i)
                + "\" is not an IP"
                + (v4 ? "v4" : "v6")
                + " address with a prefix length, such as "
                + (v4 ? "10.0.0.2/24" : "fd00::2/64"),
            at);
      }
    }
  }

  private void interfaces(Sourced<Container> sourced, List<String> names, String key) {
    for (int i = 0; i < names.size(); i++) {
      if (!Names.isInterfaceName(names.get(i))) {
        error(
            sourced,
            "spec.network."
                + key
                + "["
                + i
                + "]: \""
                + names.get(i)
                + "\" is not an interface name",
            "spec",
            "network",
            key,
            i);
      } else {
        String inside = (key.equals("macvlan") ? "mv-" : "iv-") + names.get(i);
        if (!InterfaceName.fits(inside)) {
          diagnostics.warning(
              sourced.file(),
              sourced.mark("spec", "network", key, i),
              "spec.network."
                  + key
                  + "["
                  + i
                  + "]: the container's interface "
                  + inside
                  + " is longer than "
                  + Names.MAX_IFNAME
                  + " bytes: systemd names it "
                  + InterfaceName.shortened(inside)
                  + " (systemd 250 and later; "
                  + InterfaceName.truncated(inside)
                  + " before), and berth's network file inside the container uses the first");
        }
      }
    }
  }

  private void resources(Sourced<Container> sourced, Resources resources) {
    if (resources.memoryMax() != null && !BYTES.matcher(resources.memoryMax()).matches()) {
      error(
          sourced,
          "spec.resources.memoryMax: must be bytes with an optional K, M, G or T suffix, a percentage or infinity",
          "spec",
          "resources",
          "memoryMax");
    }
    if (resources.cpuQuota() != null && !PERCENT.matcher(resources.cpuQuota()).matches()) {
      error(
          sourced,
          "spec.resources.cpuQuota: must be a percentage such as 150%",
          "spec",
          "resources",
          "cpuQuota");
    }
    if (resources.tasksMax() != null && !TASKS.matcher(resources.tasksMax()).matches()) {
      error(
          sourced,
          "spec.resources.tasksMax: must be a number, a percentage or infinity",
          "spec",
          "resources",
          "tasksMax");
    }
  }

  /**
   * Every string ends up in a unit file line: a newline there would smuggle in settings. {@code
   * path} is the node's path, one list pushed and popped along the walk (every node of every
   * document is visited); a finding gets its own copy.
   */
  private void oneLineStrings(Sourced<?> sourced, JsonNode node, List<Object> path) {
    if (node.isTextual()) {
      String text = node.textValue();
      if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.indexOf(0) >= 0) {
        error(sourced, SchemaCheck.dotted(path) + ": must be a single line", path.toArray());
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        path.add(field.getKey());
        oneLineStrings(sourced, field.getValue(), path);
        path.remove(path.size() - 1);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        path.add(i);
        oneLineStrings(sourced, node.get(i), path);
        path.remove(path.size() - 1);
      }
    }
  }

  private PathKind kindOf(String path) {
    try {
      return tree.kindOf(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void path(Sourced<?> sourced, String reason, Object... path) {
    if (reason != null) {
      error(sourced, SchemaCheck.dotted(List.of(path)) + ": " + reason, path);
    }
  }

  private static boolean validPort(Integer port) {
    return port != null && port >= 1 && port <= 65535;
  }

  private static Object[] append(Object[] path, Object last) {
    Object[] out = java.util.Arrays.copyOf(path, path.length + 1);
    out[path.length] = last;
    return out;
  }

  private void error(Sourced<?> sourced, String message, Object... path) {
    diagnostics.error(sourced.file(), sourced.mark(path), message);
  }
}
