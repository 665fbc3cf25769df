package dev.berth.reconciler.parse;

import java.util.Optional;

/**
 * Bounds that keep hostile input from costing more than a bounded amount of time and memory: per
 * manifest file, and for all the manifests of one revision together (a repository of files each
 * within the first bounds must not exhaust the agent's heap either).
 *
 * @param maxTotalBytes the bytes of all the manifest files read for one revision
 * @param maxFiles the manifest files of one revision
 * @param maxDocuments the YAML documents of one revision, over all its files
 */
public record YamlLimits(
    int maxFileBytes,
    int maxDepth,
    int maxDocumentsPerFile,
    long maxTotalBytes,
    int maxFiles,
    int maxDocuments) {
  private static final long TOTAL_BYTES = 16L << 20;
  private static final int FILES = 10_000;
  private static final int DOCUMENTS = 10_000;

  // A fleet's repository of a few thousand containers is a few MiB: these leave room for it.
  public static final YamlLimits DEFAULT =
      new YamlLimits(1 << 20, 64, 1000, TOTAL_BYTES, FILES, DOCUMENTS);

  /** Per-file bounds, with the default bounds for a whole revision. */
  public YamlLimits(int maxFileBytes, int maxDepth, int maxDocumentsPerFile) {
    this(maxFileBytes, maxDepth, maxDocumentsPerFile, TOTAL_BYTES, FILES, DOCUMENTS);
  }

  /** These limits with other bounds for a whole revision (tests use small ones). */
  public YamlLimits withRepositoryBounds(long maxTotalBytes, int maxFiles, int maxDocuments) {
    return new YamlLimits(
        maxFileBytes, maxDepth, maxDocumentsPerFile, maxTotalBytes, maxFiles, maxDocuments);
  }

  /** The refusal of a manifest file of {@code size} bytes, if it is over {@link #maxFileBytes}. */
  public Optional<String> fileRefusal(long size) {
    if (size <= maxFileBytes) {
      return Optional.empty();
    }
    return Optional.of(
        "file is "
            + size
            + " bytes, more than the limit of "
            + maxFileBytes
            + " bytes for a manifest file");
  }

  /**
   * The refusal of a revision of {@code files} manifest files of {@code totalBytes} together, if it
   * is over {@link #maxFiles} or {@link #maxTotalBytes}: none of them is then read.
   */
  public Optional<String> repositoryRefusal(int files, long totalBytes) {
    if (files > maxFiles) {
      return Optional.of(
          "the repository holds more than "
              + maxFiles
              + " manifest files ("
              + files
              + "); none is read: "
              + REMEDY);
    }
    if (totalBytes > maxTotalBytes) {
      return Optional.of(
          "the repository holds more than "
              + bytes(maxTotalBytes)
              + " of manifests ("
              + files
              + " files, "
              + totalBytes
              + " bytes, this one the largest); none is read: "
              + REMEDY);
    }
    return Optional.empty();
  }

  /** The refusal of the document that makes more than {@link #maxDocuments} in one revision. */
  public String documentsRefusal() {
    return "the repository holds more than "
        + maxDocuments
        + " manifest documents; none is applied: "
        + REMEDY;
  }

  /** What to do about a revision too large to read, for every refusal of one. */
  public static final String REMEDY =
      "keep what one host reads smaller (move the rest out of the source's path, or split the"
          + " repository)";

  private static String bytes(long count) {
    return count % (1 << 20) == 0 ? (count >> 20) + " MiB" : count + " bytes";
  }
}
