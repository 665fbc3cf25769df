package dev.berth.agent.source;

import dev.berth.reconciler.source.ManifestTree;
import java.time.Instant;

/**
 * A revision of the manifests: the commit, its tree (read from the object database, below the
 * configured path), when it was fetched, who signed it when a signature policy is set, all its
 * files for builds, and which remote served it (the primary's URL or a mirror's, without
 * credentials).
 */
public record SourceRevision(
    String commit,
    ManifestTree tree,
    Instant fetchedAt,
    String verifiedSigner,
    SourceFiles files,
    ServedBy servedBy) {

  /**
   * The remote that served a revision: its {@code role} ("primary", "mirror-1", ...: the metrics'
   * label), its URL without credentials, and, when a mirror served, why the primary did not.
   */
  public record ServedBy(String role, String url, SourceFailure primaryFailure) {
    public static final ServedBy UNKNOWN = new ServedBy("primary", "", null);
  }

  public SourceRevision(
      String commit,
      ManifestTree tree,
      Instant fetchedAt,
      String verifiedSigner,
      SourceFiles files) {
    this(commit, tree, fetchedAt, verifiedSigner, files, ServedBy.UNKNOWN);
  }

  public SourceRevision(
      String commit, ManifestTree tree, Instant fetchedAt, String verifiedSigner) {
    this(commit, tree, fetchedAt, verifiedSigner, SourceFiles.NONE, ServedBy.UNKNOWN);
  }

  /** The same revision, served by {@code remote} this time. */
  public SourceRevision servedBy(ServedBy remote) {
    return new SourceRevision(commit, tree, fetchedAt, verifiedSigner, files, remote);
  }
}
