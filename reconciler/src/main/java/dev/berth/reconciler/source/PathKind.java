package dev.berth.reconciler.source;

/** What a path named by a manifest is, seen from inside the repository. */
public enum PathKind {
  FILE,
  DIRECTORY,
  MISSING,
  /** The path, or a symlink on the way, leads out of the repository. */
  OUTSIDE
}
