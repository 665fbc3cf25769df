package dev.berth.reconciler.host;

import java.util.List;

/**
 * Snapshots of a container's state directory ({@code /var/lib/machines/NAME}) as machined images:
 * on btrfs an instant subvolume snapshot, elsewhere a copy (machined's {@code CloneImage}). Only
 * while the container is stopped: machined would copy a running tree as it changes, and refuses to
 * rename or remove an image in use; the live implementation refuses both while it runs. Failures
 * are {@link RuntimeFailure}s, a snapshot that would not fit a {@link SnapshotRefused}.
 */
public interface StateSnapshots {

  /**
   * Snapshots the image {@code machine} as the image {@code snapshot} (a name {@code machinectl
   * list-images} shows), read-only; refuses before copying anything when it would not fit on the
   * file system.
   */
  void take(String machine, String snapshot);

  /** Makes {@code snapshot} the image {@code machine} again: the current image is discarded. */
  void restore(String machine, String snapshot);

  /** Deletes the image {@code snapshot}; one that is already gone is not an error. */
  void release(String snapshot);

  /** The images whose name starts with {@code prefix}. */
  List<String> snapshots(String prefix);

  /** A snapshot that would not fit: nothing was copied. */
  final class SnapshotRefused extends RuntimeException {
    public SnapshotRefused(String message) {
      super(message, null, false, false);
    }
  }
}
