package dev.berth.agent.source;

import dev.berth.reconciler.source.ManifestTree;
import java.time.Instant;

/**
 * A revision of the manifests: the commit, its tree (read from the object database, below the
 * configured path), when it was fetched, who signed it when a signature policy is set, and all its
 * files for builds.
 */
public record SourceRevision(
    String commit, ManifestTree tree, Instant fetchedAt, String verifiedSigner, SourceFiles files) {
  public SourceRevision(
      String commit, ManifestTree tree, Instant fetchedAt, String verifiedSigner) {
    this(commit, tree, fetchedAt, verifiedSigner, SourceFiles.NONE);
  }
}
