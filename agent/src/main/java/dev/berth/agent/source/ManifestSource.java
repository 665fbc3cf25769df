package dev.berth.agent.source;

/** Where the manifests come from: one repository, polled. */
public interface ManifestSource extends AutoCloseable {

  /**
   * Checks the remote cheaply (ls-remote of the ref) and fetches only when the wanted revision
   * moved; verifies it when a signature policy is set. Returns the wanted revision and its tree.
   */
  SourceRevision poll() throws SourceFailure;

  /**
   * A commit this source fetched before (the one the host applied), read from its cache as {@link
   * #poll} reads one, asking no remote; empty when the cache does not hold it.
   */
  default java.util.Optional<SourceRevision> cached(String commit) throws SourceFailure {
    return java.util.Optional.empty();
  }

  @Override
  void close();
}
