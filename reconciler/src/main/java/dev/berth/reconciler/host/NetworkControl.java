package dev.berth.reconciler.host;

/** networkd, which configures the containers' links from berth's files. */
public interface NetworkControl {
  /** A host without networkd: nothing to reload. */
  NetworkControl NONE = () -> {};

  /** networkd re-reads its {@code .network} and {@code .netdev} files. */
  void reloadNetwork();
}
