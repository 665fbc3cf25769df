package dev.berth.reconciler.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One address family of a container's network: static addresses, gateway, masquerading. */
public record NetworkFamily(
    @JsonProperty("static") StaticAddresses staticAddresses, String gateway, Boolean nat) {
  public static final NetworkFamily EMPTY = new NetworkFamily(null, null, null);

  public boolean isStatic() {
    return staticAddresses != null && !staticAddresses.containerPool().isEmpty();
  }

  public List<String> containerPool() {
    return staticAddresses == null ? List.of() : staticAddresses.containerPool();
  }

  public List<String> hostAddresses() {
    return staticAddresses == null ? List.of() : staticAddresses.hostAddresses();
  }

  /** Static addresses of the container's host0 and of the host side. */
  public record StaticAddresses(List<String> containerPool, List<String> hostAddresses) {
    public StaticAddresses {
      containerPool = containerPool == null ? List.of() : List.copyOf(containerPool);
      hostAddresses = hostAddresses == null ? List.of() : List.copyOf(hostAddresses);
    }
  }
}
