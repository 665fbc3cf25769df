package dev.berth.reconciler.plan;

import java.util.Locale;

/**
 * The plan classes of docs/plan-classes.md. The file {@link Planner} gives every class but {@link
 * #START} and {@link #STOP}, which only the pass planner gives, from the units' states.
 */
public enum ActionClass {
  /** Desired and absent: bootstrap, build, write files, enable, start. */
  CREATE,
  /**
   * The root must be built anew: a NixOS system not built yet (its class is known once it is), or a
   * new tarball image, unpacked beside the old root and swapped in at a restart.
   */
  REBUILD,
  /** Only {@code Parameters=} changed (or strategy reload): activate inside the container. */
  RELOAD,
  /** Any other change of the {@code .nspawn}, drop-in or the container's network. */
  RESTART,
  /** Only cgroup limits changed: set at runtime. */
  LIVE,
  /** Should run, does not (stopped outside berth, or left so by an earlier pass): start it. */
  START,
  /** {@code state: stopped}, but the unit runs: stop it. */
  STOP,
  /** In berth's care, no longer desired: stop, disable, remove berth's files. */
  REMOVE,
  /**
   * Strategy none, or only the image record added to a drop-in: the files change, the running
   * container is left alone.
   */
  WRITE,
  /** A zone's bridge settings changed: networkd reloads them. */
  UPDATE,
  /** A file at berth's path that berth did not write: left alone until a manifest adopts it. */
  CONFLICT,
  NONE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
