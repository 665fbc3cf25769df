package dev.berth.agent.source;

/** Where the manifests come from: one repository, polled. */
public interface ManifestSource extends AutoCloseable {

  /**
   * Checks the remote cheaply (ls-remote of the ref) and fetches only when the wanted revision
   * moved; verifies it when a signature policy is set. Returns the wanted revision and its tree.
   */
  SourceRevision poll() throws SourceFailure;

  @Override
  void close();
}
