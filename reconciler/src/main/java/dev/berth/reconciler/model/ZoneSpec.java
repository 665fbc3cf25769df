package dev.berth.reconciler.model;

/** A zone's placement and the addresses of its bridge per address family. */
public record ZoneSpec(Placement placement, ZoneFamily v4, ZoneFamily v6) {
  public ZoneSpec {
    placement = placement == null ? Placement.NOWHERE : placement;
    v4 = v4 == null ? ZoneFamily.EMPTY : v4;
    v6 = v6 == null ? ZoneFamily.EMPTY : v6;
  }
}
