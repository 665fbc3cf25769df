package dev.berth.reconciler.source;

/**
 * One YAML file of a manifest repository: its path relative to the root, '/'-separated, and its
 * bytes — or, when the tree refused to read it (a symlink out of the repository, a huge file), why.
 */
public record ManifestFile(String path, byte[] content, String refusal) {

  public ManifestFile(String path, byte[] content) {
    this(path, content, null);
  }

  public static ManifestFile refused(String path, String reason) {
    return new ManifestFile(path, new byte[0], reason);
  }
}
