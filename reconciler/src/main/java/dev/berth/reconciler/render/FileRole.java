package dev.berth.reconciler.render;

/** What a container's file is for; the planner weighs a change by it. */
public enum FileRole {
  /** {@code /etc/systemd/nspawn/NAME.nspawn}. */
  NSPAWN,
  /** {@code systemd-nspawn@NAME.service.d/50-berth.conf}. */
  DROP_IN,
  /** The host side of the container's veth, a networkd {@code .network}. */
  HOST_NETWORK,
  /** The container's own {@code host0} networkd file, inside its tree. */
  CONTAINER_NETWORK
}
