package dev.berth.agent.daemon;

/**
 * How a reconcile pass ended. The label is what metrics ({@code berth_reconcile_total{result}}),
 * the journal and the status show.
 */
public enum PassResult {
  /** The host runs the desired revision. */
  SUCCESS("success"),
  /** Some container did not converge; it is retried with backoff. */
  FAILED("failed"),
  /** The host runs the last valid revision; the newest one has invalid manifests. */
  INVALID("invalid"),
  /** Nothing was changed: the plan would have removed too much (MassPruneRefused). */
  REFUSED("refused"),
  /** The pass broke off with an unexpected error. */
  ERROR("error"),
  /** No valid revision has been fetched yet, so there is nothing to apply. */
  NO_REVISION("no-revision"),
  /**
   * The repository's Rollout holds the newest revision back (its wave's gate, a halt, the jitter):
   * the host runs, and heals, the revision it applied before; the status says why.
   */
  HELD("held"),
  /**
   * The whole agent is suspended: it observed and reported, changed nothing, and so is not in sync
   * (a successful pass would hide a suspension from the alerts).
   */
  SUSPENDED("suspended");

  private final String label;

  PassResult(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
