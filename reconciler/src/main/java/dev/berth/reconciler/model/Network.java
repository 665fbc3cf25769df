package dev.berth.reconciler.model;

import java.util.List;

/** A container's private network; an absent {@code network} means the host's. */
public record Network(
    String zone,
    String bridge,
    NetworkFamily v4,
    NetworkFamily v6,
    List<String> dns,
    List<ForwardPort> forwardPorts,
    List<String> macvlan,
    List<String> ipvlan,
    String resolvConf) {

  public Network {
    v4 = v4 == null ? NetworkFamily.EMPTY : v4;
    v6 = v6 == null ? NetworkFamily.EMPTY : v6;
    dns = dns == null ? List.of() : List.copyOf(dns);
    forwardPorts = forwardPorts == null ? List.of() : List.copyOf(forwardPorts);
    macvlan = macvlan == null ? List.of() : List.copyOf(macvlan);
    ipvlan = ipvlan == null ? List.of() : List.copyOf(ipvlan);
  }

  /**
   * Whether the container gets a veth at all: not when it only asks for MACVLAN/IPVLAN links and
   * nothing that needs a host side (a zone, a bridge, port forwards, host addresses, NAT). Its
   * static container addresses then go on its first MACVLAN/IPVLAN interface.
   */
  public boolean hasVeth() {
    boolean onlyDirectLinks =
        (!macvlan.isEmpty() || !ipvlan.isEmpty())
            && zone == null
            && bridge == null
            && v4.hostAddresses().isEmpty()
            && v6.hostAddresses().isEmpty()
            && v4.nat() == null
            && v6.nat() == null
            && forwardPorts.isEmpty();
    return !onlyDirectLinks;
  }

  /**
   * The interface inside the container that its addresses, gateway and DNS servers go on: {@code
   * host0} with a veth, otherwise the first MACVLAN ({@code mv-PARENT}) or IPVLAN ({@code
   * iv-PARENT}) link, named as nspawn names it.
   */
  public String containerInterface() {
    if (hasVeth()) {
      return "host0";
    }
    return InterfaceName.shortened(
        macvlan.isEmpty() ? "iv-" + ipvlan.get(0) : "mv-" + macvlan.get(0));
  }

  /** Whether the host side is berth's own veth {@code ve-NAME} (not a zone or bridge port). */
  public boolean hasOwnVeth() {
    return hasVeth() && zone == null && bridge == null;
  }
}
