package dev.berth.reconciler.load;

import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tree whose other files are read once per load: what the validator checked (a sealed
 * credential's blob) is what the loader then hands on, even if the file changes meanwhile.
 */
final class ReadOnceTree implements ManifestTree {
  private record Read(String path, int maxBytes) {}

  private final ManifestTree tree;
  private final Map<Read, Optional<byte[]>> reads = new HashMap<>();

  ReadOnceTree(ManifestTree tree) {
    this.tree = tree;
  }

  @Override
  public List<ManifestFile> manifests() throws IOException {
    return tree.manifests();
  }

  @Override
  public PathKind kindOf(String relativePath) throws IOException {
    return tree.kindOf(relativePath);
  }

  @Override
  public Optional<byte[]> read(String relativePath, int maxBytes) throws IOException {
    Read key = new Read(relativePath, maxBytes);
    Optional<byte[]> content = reads.get(key);
    if (content == null) {
      content = tree.read(relativePath, maxBytes);
      reads.put(key, content);
    }
    return content.map(byte[]::clone);
  }
}
