package dev.berth.reconciler.migrate;

import dev.berth.reconciler.model.Cidr;
import dev.berth.reconciler.validate.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The network settings of an old container ({@code PRIVATE_NETWORK}, the addresses, {@code
 * HOST_BRIDGE}, {@code HOST_PORT}, {@code MACVLANS}, {@code INTERFACES}, {@code COPY_RESOLV_CONF},
 * {@code LOCAL_MAC_ADDRESS}) as a Container's {@code network}, and what the container's NixOS
 * system must now set on {@code host0} itself.
 */
final class NetworkMapping {
  private final ConfValues conf;
  private final ContainerDraft draft;
  private final NixSystem nix;

  NetworkMapping(ConfValues conf, ContainerDraft draft, NixSystem nix) {
    this.conf = conf;
    this.draft = draft;
    this.nix = nix;
  }

  /** The network, or null for the host's. */
  Map<String, Object> map() {
    String bridge = conf.value("HOST_BRIDGE");
    List<String> macvlans = words(conf.value("MACVLANS"));
    List<String> interfaces = words(conf.value("INTERFACES"));
    FamilyAddresses.Written host4 = address("HOST_ADDRESS", true);
    FamilyAddresses.Written local4 = address("LOCAL_ADDRESS", true);
    FamilyAddresses.Written host6 = address("HOST_ADDRESS6", false);
    FamilyAddresses.Written local6 = address("LOCAL_ADDRESS6", false);
    String mac = conf.value("LOCAL_MAC_ADDRESS");
    if (!bridge.isEmpty() && !Names.isInterfaceName(bridge)) {
      draft.warn(
          conf.line("HOST_BRIDGE"), "HOST_BRIDGE \"" + bridge + "\" is not an interface name");
      bridge = "";
    }
    String ports = conf.value("HOST_PORT");
    if (!ports.isBlank()) {
      PortForwards.add(draft, conf.line("HOST_PORT"), ports);
    }
    draft.macvlan.addAll(0, interfaceNames("MACVLANS", macvlans));
    boolean anyAddress = host4 != null || local4 != null || host6 != null || local6 != null;
    boolean veth = anyAddress || !bridge.isEmpty() || !mac.isEmpty();
    boolean isPrivate =
        conf.value("PRIVATE_NETWORK").equals("1")
            || veth
            || draft.privateNetwork
            || !draft.macvlan.isEmpty()
            || !interfaces.isEmpty();
    for (String iface : interfaceNames("INTERFACES", interfaces)) {
      draft.raw("Network", "Interface", iface);
    }
    resolvConf();
    if (!isPrivate) {
      if (!draft.forwardPorts.isEmpty()) {
        draft.warn(
            conf.line("HOST_PORT"),
            "port forwards need a private network, and PRIVATE_NETWORK is not 1; not migrated");
      }
      return null;
    }
    Map<String, Object> network = new LinkedHashMap<>();
    if (!bridge.isEmpty()) {
      network.put("bridge", bridge);
    }
    boolean onBridge = !bridge.isEmpty();
    family(network, "v4", FamilyAddresses.of(local4, host4, onBridge), onBridge);
    family(network, "v6", FamilyAddresses.of(local6, host6, onBridge), onBridge);
    if (!draft.forwardPorts.isEmpty()) {
      network.put("forwardPorts", draft.forwardPorts);
    }
    if (!draft.macvlan.isEmpty()) {
      network.put("macvlan", draft.macvlan);
    }
    if (!draft.ipvlan.isEmpty()) {
      network.put("ipvlan", draft.ipvlan);
    }
    if (draft.resolvConf != null) {
      network.put("resolvConf", draft.resolvConf);
    }
    if (!mac.isEmpty()) {
      if (mac.matches("^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$")) {
        nix.mac(mac);
      } else {
        draft.warn(conf.line("LOCAL_MAC_ADDRESS"), "\"" + mac + "\" is not a MAC address");
      }
    }
    boolean getsVeth = veth || !draft.forwardPorts.isEmpty();
    if (!getsVeth && draft.macvlan.isEmpty() && draft.ipvlan.isEmpty()) {
      // The old module gave such a container no veth at all: loopback and moved interfaces.
      draft.raw("Network", "VirtualEthernet", "no");
      draft.notes.add(
          "PRIVATE_NETWORK=1 without addresses or a bridge: no veth, as before"
              + " (VirtualEthernet=no)");
    }
    return network;
  }

  private void family(
      Map<String, Object> network, String key, FamilyAddresses family, boolean onBridge) {
    if (family.isEmpty()) {
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> addresses = new LinkedHashMap<>();
    if (!family.containerPool().isEmpty()) {
      addresses.put("containerPool", family.containerPool());
    }
    if (!family.hostAddresses().isEmpty()) {
      addresses.put("hostAddresses", family.hostAddresses());
    }
    if (!addresses.isEmpty()) {
      out.put("static", addresses);
    }
    if (family.gateway() != null) {
      out.put("gateway", family.gateway());
    }
    if (!onBridge && key.equals("v4") && !family.hostAddresses().isEmpty()) {
      // The old module never masqueraded; hosts did it with networking.nat if they wanted.
      out.put("nat", false);
    }
    network.put(key, out);
    family.containerPool().forEach(nix::address);
    if (family.gateway() != null) {
      nix.gateway(family.gateway());
    } else if (!family.hostAddresses().isEmpty() && !family.containerPool().isEmpty()) {
      nix.gateway(Cidr.hostPart(family.hostAddresses().get(0)));
    }
    if (family.note() != null) {
      draft.notes.add(family.note());
    }
  }

  private void resolvConf() {
    if (draft.resolvConf != null || !conf.has("COPY_RESOLV_CONF")) {
      return;
    }
    String value = conf.value("COPY_RESOLV_CONF");
    if (value.equals("1")) {
      draft.resolvConf = "copy-host";
    } else if (value.equals("0")) {
      draft.resolvConf = "off";
    } else {
      draft.warn(conf.line("COPY_RESOLV_CONF"), "COPY_RESOLV_CONF=" + value + " is not 0 or 1");
    }
  }

  private FamilyAddresses.Written address(String key, boolean v4) {
    String text = conf.value(key);
    if (text.isEmpty()) {
      return null;
    }
    Optional<Cidr> cidr = Cidr.parse(text, false);
    if (cidr.isEmpty() || cidr.get().isV4() != v4) {
      draft.warn(
          conf.line(key),
          key + "=" + text + " is not an IP" + (v4 ? "v4" : "v6") + " address; not migrated");
      return null;
    }
    return new FamilyAddresses.Written(cidr.get(), text.contains("/"), text);
  }

  private List<String> interfaceNames(String key, List<String> names) {
    List<String> out = new ArrayList<>();
    for (String iface : names) {
      if (Names.isInterfaceName(iface)) {
        out.add(iface);
      } else {
        draft.warn(
            conf.line(key), key + ": \"" + iface + "\" is not an interface name; not migrated");
      }
    }
    return out;
  }

  private static List<String> words(String value) {
    List<String> out = new ArrayList<>();
    for (String word : value.strip().split("\\s+")) {
      if (!word.isEmpty()) {
        out.add(word);
      }
    }
    return out;
  }
}
