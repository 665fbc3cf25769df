package dev.berth.reconciler.migrate;

import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files {@code berth migrate} is about to write, as a manifest tree, to validate them first.
 */
final class GeneratedTree implements ManifestTree {
  private final Map<String, String> files = new TreeMap<>();

  void putAll(Map<String, String> more) {
    files.putAll(more);
  }

  @Override
  public List<ManifestFile> manifests() {
    List<ManifestFile> out = new ArrayList<>();
    files.forEach(
        (path, content) -> {
          if (path.endsWith(".yaml")) {
            out.add(new ManifestFile(path, content.getBytes(StandardCharsets.UTF_8)));
          }
        });
    return out;
  }

  @Override
  public PathKind kindOf(String relativePath) {
    String path = relativePath.startsWith("./") ? relativePath.substring(2) : relativePath;
    if (files.containsKey(path)) {
      return PathKind.FILE;
    }
    return files.keySet().stream().anyMatch(f -> f.startsWith(path + "/"))
        ? PathKind.DIRECTORY
        : PathKind.MISSING;
  }

  @Override
  public Optional<byte[]> read(String relativePath, int maxBytes) throws IOException {
    String path = relativePath.startsWith("./") ? relativePath.substring(2) : relativePath;
    String content = files.get(path);
    if (content == null) {
      throw new IOException(relativePath + " is not a file berth migrate writes");
    }
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return bytes.length > maxBytes ? Optional.empty() : Optional.of(bytes);
  }
}
