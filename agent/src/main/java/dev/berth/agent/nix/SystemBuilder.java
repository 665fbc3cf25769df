package dev.berth.agent.nix;

import java.nio.file.Path;
import java.time.Duration;

/** Builds a NixOS toplevel from an exported revision. */
interface SystemBuilder {

  /**
   * Builds {@code key}'s Nix file below {@code source}, keeps the result rooted at {@code outLink}
   * and writes the build's output to {@code log}. Returns the result's store path.
   */
  String build(Path source, BuildKey key, Path outLink, Path log, Duration timeout)
      throws BuildFailure;

  /** A build that gave no usable system, with the lines of its log that say why. */
  final class BuildFailure extends Exception {
    BuildFailure(String message) {
      super(message, null, false, false);
    }
  }
}
