package dev.berth.reconciler.validate;

import dev.berth.reconciler.model.Cidr;
import dev.berth.reconciler.model.ForwardPort;
import dev.berth.reconciler.model.InterfaceName;
import dev.berth.reconciler.model.Network;
import dev.berth.reconciler.parse.FieldPath;
import java.util.List;

/**
 * The rules of a container's {@code spec.network}: what it joins, its DNS servers, forwarded ports
 * and MACVLAN/IPVLAN links; its addresses are {@link AddressRules}'.
 */
final class NetworkRules {
  private static final FieldPath NETWORK = FieldPath.of("spec", "network");

  private NetworkRules() {}

  static void check(Network network, DocumentFindings findings) {
    FieldPath zone = NETWORK.field("zone");
    FieldPath bridge = NETWORK.field("bridge");
    if (network.zone() != null && !Names.isDnsLabel(network.zone())) {
      findings.error(zone, "\"" + network.zone() + "\" is not a zone name");
    }
    if (network.bridge() != null && !Names.isInterfaceName(network.bridge())) {
      findings.error(bridge, "\"" + network.bridge() + "\" is not an interface name");
    }
    if (network.zone() != null && network.bridge() != null) {
      findings.error(NETWORK, bridge, "set zone or bridge, not both");
    }
    AddressRules.family(network, network.v4(), NETWORK.field("v4"), true, findings);
    AddressRules.family(network, network.v6(), NETWORK.field("v6"), false, findings);
    for (int i = 0; i < network.dns().size(); i++) {
      if (Cidr.parseAddress(network.dns().get(i)).isEmpty()) {
        findings.error(
            NETWORK.field("dns").item(i), "\"" + network.dns().get(i) + "\" is not an IP address");
      }
    }
    forwardPorts(network.forwardPorts(), findings);
    links(network.macvlan(), "macvlan", "mv-", findings);
    links(network.ipvlan(), "ipvlan", "iv-", findings);
  }

  private static void forwardPorts(List<ForwardPort> ports, DocumentFindings findings) {
    for (int i = 0; i < ports.size(); i++) {
      ForwardPort port = ports.get(i);
      FieldPath at = NETWORK.field("forwardPorts").item(i);
      if (!validPort(port.hostPort())) {
        findings.error(at.field("hostPort"), "must be a port from 1 to 65535");
      }
      // Unwritten, containerPort is hostPort, which is reported above.
      FieldPath containerPort = at.field("containerPort");
      if (findings.written(containerPort) && !validPort(port.containerPort())) {
        findings.error(containerPort, "must be a port from 1 to 65535");
      }
    }
  }

  /** The parents of MACVLAN or IPVLAN links, whose interface inside is {@code prefix + parent}. */
  private static void links(
      List<String> parents, String key, String prefix, DocumentFindings findings) {
    for (int i = 0; i < parents.size(); i++) {
      FieldPath at = NETWORK.field(key).item(i);
      if (!Names.isInterfaceName(parents.get(i))) {
        findings.error(at, "\"" + parents.get(i) + "\" is not an interface name");
        continue;
      }
      String inside = prefix + parents.get(i);
      if (!InterfaceName.fits(inside)) {
        findings.warning(
            at,
            "the container's interface "
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

  private static boolean validPort(Integer port) {
    return port != null && port >= 1 && port <= 65535;
  }
}
