package dev.berth.agent.source;

import java.util.Optional;

/** The commit this host last applied from the source: what a new wanted one must descend from. */
public interface AppliedCommit {
  /** The commit, or empty before the first one (then any revision is accepted once). */
  Optional<String> commit();
}
