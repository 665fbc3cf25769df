package dev.berth.reconciler.source;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A manifest repository at one revision: a directory on disk, or a Git commit's tree. The core
 * reads it only through this port.
 */
public interface ManifestTree {

  /** Every YAML file ({@code .yaml}, {@code .yml}) outside hidden directories, sorted by path. */
  List<ManifestFile> manifests() throws IOException;

  /** What {@code relativePath} is, following symlinks only while they stay inside the tree. */
  PathKind kindOf(String relativePath) throws IOException;

  /**
   * The bytes of the file at {@code relativePath}, which {@link #kindOf} says is a {@link
   * PathKind#FILE}, read no further than {@code maxBytes}: empty when it holds more. A path that is
   * no such file is an {@link IOException}.
   */
  Optional<byte[]> read(String relativePath, int maxBytes) throws IOException;
}
