package dev.berth.reconciler.apply;

import dev.berth.reconciler.model.Container;
import java.io.IOException;
import java.util.List;

/**
 * Puts a container's root tree in place: a new container's once (never touching an existing state
 * directory), and a new tarball image's beside the current root, swapped in at a restart. Every
 * method is safe to repeat, and finishes first what a killed call left half done (the renames of a
 * swap). Each returns what it did, for the report.
 */
public interface ImageInstaller {

  /** A new container's root ("unpacked ...", "kept the existing ..."). */
  String install(Container container) throws IOException;

  /**
   * Fetches, checks and unpacks the container's tarball into its staged root ({@code
   * /var/lib/machines/.NAME.berth-next}), unless it is staged already; the running root is not
   * touched.
   */
  String stage(Container container) throws IOException;

  /**
   * With the unit stopped: the current root becomes the previous one ({@code .NAME.berth-previous},
   * replacing an older one), the staged root the root, by renames. Nothing staged: nothing changes.
   */
  String swapIn(String name) throws IOException;

  /**
   * With the unit stopped, the inverse of {@link #swapIn}: the previous root becomes the root again
   * and the replaced one is discarded. Fails when there is no previous root.
   */
  String swapBack(String name) throws IOException;

  /** Deletes the previous root once the new one is proven good; none: nothing to do. */
  String releasePrevious(String name) throws IOException;

  /**
   * Deletes the cached images that no root on the host holds (current, staged or previous) and none
   * of {@code desired} needs; an empty string when nothing was deleted.
   */
  String collectUnused(List<Container> desired) throws IOException;
}
