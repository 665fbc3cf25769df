package dev.berth.reconciler.migrate;

import dev.berth.reconciler.model.Cidr;
import java.math.BigInteger;
import java.util.List;

/**
 * One address family of an old container, {@code HOST_ADDRESS}/{@code LOCAL_ADDRESS} or their
 * {@code 6} twins, as berth's static addresses.
 *
 * <p>The old module took bare addresses as single hosts and added a route from each end to the
 * other. networkd has no such pairing, so two bare addresses become one network: the smallest that
 * holds both (10.233.1.1 and 10.233.1.2 become 10.233.1.1/30 and 10.233.1.2/30). On a bridge the
 * host address was the container's gateway and is kept as that.
 */
public record FamilyAddresses(
    List<String> containerPool, List<String> hostAddresses, String gateway, String note) {

  static final FamilyAddresses NONE = new FamilyAddresses(List.of(), List.of(), null, null);

  public boolean isEmpty() {
    return containerPool.isEmpty() && hostAddresses.isEmpty() && gateway == null;
  }

  /**
   * Maps the family; {@code local} and {@code host} are the parsed values (or null), {@code
   * onBridge} whether the container's veth is a port of a host bridge.
   */
  static FamilyAddresses of(Written local, Written host, boolean onBridge) {
    if (local == null && host == null) {
      return NONE;
    }
    if (onBridge) {
      String pool = null;
      String note = null;
      if (local != null) {
        int prefix = local.explicit() ? local.cidr().prefixLength() : shared(local, host);
        pool = local.address() + "/" + prefix;
        if (!local.explicit() && host != null) {
          note = "on the bridge, the bare container address became " + pool + ", with the gateway";
        }
      }
      return new FamilyAddresses(
          pool == null ? List.of() : List.of(pool),
          List.of(),
          host == null ? null : host.address(),
          note);
    }
    if (local == null || host == null) {
      Written only = local != null ? local : host;
      String cidr = only.address() + "/" + only.cidr().prefixLength();
      return local != null
          ? new FamilyAddresses(List.of(cidr), List.of(), null, null)
          : new FamilyAddresses(List.of(), List.of(cidr), null, null);
    }
    String note = null;
    int localPrefix = local.cidr().prefixLength();
    int hostPrefix = host.cidr().prefixLength();
    if (!local.explicit() || !host.explicit()) {
      int prefix = shared(local, host);
      localPrefix = local.explicit() ? localPrefix : prefix;
      hostPrefix = host.explicit() ? hostPrefix : prefix;
      note =
          "the old module routed the bare addresses "
              + host.address()
              + " and "
              + local.address()
              + " to each other; berth puts them in one network, /"
              + prefix;
    }
    return new FamilyAddresses(
        List.of(local.address() + "/" + localPrefix),
        List.of(host.address() + "/" + hostPrefix),
        null,
        note);
  }

  /**
   * The prefix of the network both ends share: an explicit prefix when its network holds the other
   * end, else the longest prefix whose network holds both (at most /31, or /127).
   */
  private static int shared(Written a, Written b) {
    if (b == null) {
      return a.cidr().prefixLength();
    }
    for (Written end : List.of(a, b)) {
      if (end.explicit() && contains(end.cidr(), (end == a ? b : a).cidr())) {
        return end.cidr().prefixLength();
      }
    }
    int bits = a.cidr().isV4() ? 32 : 128;
    BigInteger x = new BigInteger(1, a.cidr().address().getAddress());
    BigInteger y = new BigInteger(1, b.cidr().address().getAddress());
    int differing = x.xor(y).bitLength();
    return Math.min(bits - differing, bits - 1);
  }

  private static boolean contains(Cidr network, Cidr address) {
    int bits = network.isV4() ? 32 : 128;
    BigInteger x = new BigInteger(1, network.address().getAddress());
    BigInteger y = new BigInteger(1, address.address().getAddress());
    return x.xor(y).bitLength() <= bits - network.prefixLength();
  }

  /** An address as the old configuration wrote it: with a prefix length or bare. */
  record Written(Cidr cidr, boolean explicit, String text) {
    /** The address as the configuration wrote it, without a prefix length. */
    String address() {
      return Cidr.hostPart(text);
    }
  }
}
