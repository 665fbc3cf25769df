package dev.berth.reconciler.model;

import java.util.List;

/**
 * Which hosts a document applies to: those listed in {@code hosts}, or matching {@code selector};
 * with both, a host must be listed and match. Without either, no host.
 */
public record Placement(List<String> hosts, LabelSelector selector) {
  public static final Placement NOWHERE = new Placement(null, null);

  public Placement {
    hosts = hosts == null ? null : List.copyOf(hosts);
  }

  public boolean placesNowhere() {
    return hosts == null && selector == null;
  }

  public boolean matches(Host host) {
    if (placesNowhere()) {
      return false;
    }
    boolean listed = hosts == null || hosts.contains(host.name());
    boolean selected = selector == null || selector.matches(host.labels());
    return listed && selected;
  }
}
