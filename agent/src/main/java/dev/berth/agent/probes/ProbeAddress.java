package dev.berth.agent.probes;

import dev.berth.reconciler.host.HealthProbes.ProbeTarget;
import dev.berth.reconciler.host.RuntimeFailure;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Which address of a machine a probe goes to: 127.0.0.1 when it shares the host's network, else its
 * first IPv4 address, else its first IPv6 address that is not link-local (machined leaves out
 * host-scope addresses such as the container's own 127.0.0.1). A link-local address ({@code
 * fe80::/10}) is valid only with the interface on the host's side of the machine's veth or bridge,
 * which machined does not say: it is skipped, and a machine that has only such addresses is
 * reported as not probed, with that reason.
 */
record ProbeAddress(InetAddress address, String unreachable) {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  static ProbeAddress of(ProbeTarget target, MachineAddresses addresses) {
    if (target.hostNetwork()) {
      return new ProbeAddress(LOOPBACK, null);
    }
    List<InetAddress> all;
    try {
      all = addresses.of(target.machine());
    } catch (RuntimeFailure e) {
      return new ProbeAddress(null, e.getMessage());
    }
    for (InetAddress address : all) {
      if (address instanceof Inet4Address) {
        return new ProbeAddress(address, null);
      }
    }
    for (InetAddress address : all) {
      if (address instanceof Inet6Address && !address.isLinkLocalAddress()) {
        return new ProbeAddress(address, null);
      }
    }
    boolean linkLocal = all.stream().anyMatch(InetAddress::isLinkLocalAddress);
    return new ProbeAddress(
        null,
        linkLocal
            ? target.machine()
                + " has only IPv6 link-local addresses, which need the host-side interface:"
                + " not probed (give it an IPv4 or a global IPv6 address)"
            : target.machine() + " has no address to probe (is its network up?)");
  }

  /** {@code host:port} as a URL or a message writes it ({@code [v6]:port}). */
  String authority(int port) {
    String host = address.getHostAddress();
    return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
  }
}
