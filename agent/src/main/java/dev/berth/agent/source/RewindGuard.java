package dev.berth.agent.source;

import dev.berth.agent.source.SourceFailure.Reason;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * History never goes backwards on a host: a wanted commit must be the applied one or descend from
 * it. A force-push to older history, a stale mirror or a semver tag lower than the applied one is
 * refused ({@code RewindRefused}) and the host keeps what it runs. A pinned commit is the
 * operator's intent and passes; so does everything when {@code source.allowRewind} says so.
 */
final class RewindGuard {
  private final AppliedCommit applied;

  RewindGuard(AppliedCommit applied) {
    this.applied = applied;
  }

  /**
   * Refuses {@code wanted} unless it descends from the applied commit; the walk reads the cache.
   */
  void check(RevWalk walk, RevCommit wanted, String description, String url)
      throws IOException, SourceFailure {
    Optional<String> last = applied.commit();
    if (last.isEmpty() || last.get().equals(wanted.name())) {
      return;
    }
    RevCommit base;
    try {
      base = walk.parseCommit(ObjectId.fromString(last.get()));
    } catch (MissingObjectException e) {
      throw refused(
          wanted,
          description
              + " at "
              + wanted.name()
              + " cannot be shown to descend from "
              + last.get()
              + ", applied here, which "
              + url
              + " no longer has (history rewritten?)");
    }
    if (!walk.isMergedInto(base, wanted)) {
      throw refused(
          wanted,
          description
              + " at "
              + wanted.name()
              + " does not descend from "
              + last.get()
              + ", applied here (a force-push to older history, a stale mirror or a lower tag?)");
    }
  }

  private static SourceFailure refused(RevCommit wanted, String why) {
    return new SourceFailure(
        Reason.REWIND_REFUSED,
        wanted.name(),
        Failures.oneLine(
            why + "; the host keeps what it runs (set source.allowRewind: true if intended)"),
        null);
  }
}
