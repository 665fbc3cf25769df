package dev.berth.reconciler.model;

import java.util.List;

/**
 * A zone bridge's addresses of one family: static {@code hostAddresses}, {@code addrPool} served by
 * DHCPv4 or SLAAC (null: networkd's default), and masquerading.
 */
public record ZoneFamily(List<String> hostAddresses, List<String> addrPool, Boolean nat) {
  public static final ZoneFamily EMPTY = new ZoneFamily(null, null, null);

  public ZoneFamily {
    hostAddresses = hostAddresses == null ? List.of() : List.copyOf(hostAddresses);
    addrPool = addrPool == null ? null : List.copyOf(addrPool);
  }

  public boolean masquerades() {
    return nat == null || nat;
  }
}
