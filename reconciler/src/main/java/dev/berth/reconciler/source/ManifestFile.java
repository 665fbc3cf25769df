package dev.berth.reconciler.source;

/**
 * One YAML file of a manifest repository: its path relative to the root, '/'-separated, and its
 * bytes — or, when the tree refused to read it (a symlink out of the repository, a huge file), why.
 *
 * @param contentId what identifies the bytes where the tree knows it for free (a Git blob id), or
 *     null; equal ids promise equal bytes
 */
public record ManifestFile(String path, byte[] content, String refusal, String contentId) {

  public ManifestFile(String path, byte[] content) {
    this(path, content, null, null);
  }

  public ManifestFile(String path, byte[] content, String refusal) {
    this(path, content, refusal, null);
  }

  /** A file whose bytes are the Git blob {@code blobId}. */
  public static ManifestFile ofBlob(String path, byte[] content, String blobId) {
    return new ManifestFile(path, content, null, "git:" + blobId);
  }

  public static ManifestFile refused(String path, String reason) {
    return new ManifestFile(path, new byte[0], reason);
  }
}
