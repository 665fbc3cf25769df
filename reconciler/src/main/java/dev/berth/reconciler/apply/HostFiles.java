package dev.berth.reconciler.apply;

import dev.berth.reconciler.plan.InstalledFiles;
import dev.berth.reconciler.render.HostFile;
import java.io.IOException;

/** The files under a host's root that berth reads and writes. Writes are atomic. */
public interface HostFiles extends InstalledFiles {

  /** Writes the file atomically (temp file, fsync, rename, directory fsync). */
  void write(HostFile file) throws IOException;

  /** Deletes the file if it exists. */
  void delete(String path) throws IOException;

  boolean exists(String path) throws IOException;

  /** Deletes a container's state directory and everything in it. */
  void deleteTree(String path) throws IOException;
}
