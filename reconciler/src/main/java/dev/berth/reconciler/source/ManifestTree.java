package dev.berth.reconciler.source;

import java.io.IOException;
import java.util.List;

/**
 * A manifest repository at one revision: a directory on disk, or a Git commit's tree. The core
 * reads it only through this port.
 */
public interface ManifestTree {

  /** Every YAML file ({@code .yaml}, {@code .yml}) outside hidden directories, sorted by path. */
  List<ManifestFile> manifests() throws IOException;

  /** What {@code relativePath} is, following symlinks only while they stay inside the tree. */
  PathKind kindOf(String relativePath) throws IOException;
}
