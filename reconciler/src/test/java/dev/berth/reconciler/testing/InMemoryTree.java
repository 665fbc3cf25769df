package dev.berth.reconciler.testing;

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
 * A manifest tree held in memory: a map from '/'-separated path to bytes. Paths ending in {@code
 * .yaml} or {@code .yml} are manifests; any other path is a plain file that {@link #kindOf}
 * reports. Directories are implied by the paths below them; {@link #outside} and {@link #refuse}
 * stand in for the symlinks and unreadable files that a real tree reports.
 */
public final class InMemoryTree implements ManifestTree {
  private final Map<String, byte[]> files = new TreeMap<>();
  private final Map<String, String> refusals = new TreeMap<>();
  private final List<String> outside = new ArrayList<>();

  public static InMemoryTree of(String path, String content) {
    return new InMemoryTree().put(path, content);
  }

  public InMemoryTree put(String path, String content) {
    return put(path, content.getBytes(StandardCharsets.UTF_8));
  }

  public InMemoryTree put(String path, byte[] content) {
    files.put(path, content.clone());
    return this;
  }

  /** A manifest that the tree refuses to read, as a real tree does for a symlink out of it. */
  public InMemoryTree refuse(String path, String reason) {
    refusals.put(path, reason);
    return this;
  }

  /** A path that leads out of the repository, as a symlink to {@code /etc} would. */
  public InMemoryTree outside(String path) {
    outside.add(path);
    return this;
  }

  @Override
  public List<ManifestFile> manifests() {
    Map<String, ManifestFile> manifests = new TreeMap<>();
    files.forEach(
        (path, bytes) -> {
          if (isManifest(path)) {
            manifests.put(path, new ManifestFile(path, bytes.clone()));
          }
        });
    refusals.forEach((path, reason) -> manifests.put(path, ManifestFile.refused(path, reason)));
    return List.copyOf(manifests.values());
  }

  @Override
  public PathKind kindOf(String relativePath) {
    String path = normalise(relativePath);
    for (String out : outside) {
      if (path.equals(out) || path.startsWith(out + "/")) {
        return PathKind.OUTSIDE;
      }
    }
    if (files.containsKey(path)) {
      return PathKind.FILE;
    }
    String prefix = path.isEmpty() ? "" : path + "/";
    for (String file : files.keySet()) {
      if (file.startsWith(prefix)) {
        return PathKind.DIRECTORY;
      }
    }
    return PathKind.MISSING;
  }

  @Override
  public Optional<byte[]> read(String relativePath, int maxBytes) throws IOException {
    if (kindOf(relativePath) != PathKind.FILE) {
      throw new IOException(relativePath + " is not a file of the tree");
    }
    byte[] bytes = files.get(normalise(relativePath));
    return bytes.length > maxBytes ? Optional.empty() : Optional.of(bytes.clone());
  }

  private static boolean isManifest(String path) {
    return path.endsWith(".yaml") || path.endsWith(".yml");
  }

  private static String normalise(String path) {
    String out = path;
    while (out.startsWith("./")) {
      out = out.substring(2);
    }
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }
}
