package dev.berth.agent.source;

import dev.berth.agent.source.SourceFailure.Reason;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/**
 * Finds a revision that an operator names among what the cache holds: a branch, else a tag, else a
 * commit by its hash or a unique prefix of it (at least 7 hex digits).
 */
final class CacheRefs {
  private static final int MIN_ABBREVIATION = 7;

  private CacheRefs() {}

  static WantedRevision resolve(Repository cache, String name, String where)
      throws IOException, SourceFailure {
    Ref branch = cache.exactRef(Constants.R_HEADS + name);
    if (branch != null) {
      return new WantedRevision(branch.getObjectId(), "branch " + name, List.of());
    }
    Ref tag = cache.exactRef(Constants.R_TAGS + name);
    if (tag != null) {
      Ref peeled = cache.getRefDatabase().peel(tag);
      ObjectId id =
          peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : tag.getObjectId();
      return new WantedRevision(id, "tag " + name, List.of());
    }
    if (name.length() >= MIN_ABBREVIATION
        && name.length() <= Constants.OBJECT_ID_STRING_LENGTH
        && AbbreviatedObjectId.isId(name)) {
      try (ObjectReader reader = cache.newObjectReader()) {
        Collection<ObjectId> found = reader.resolve(AbbreviatedObjectId.fromString(name));
        if (found.size() == 1) {
          return new WantedRevision(found.iterator().next(), "commit " + name, List.of());
        }
        if (found.size() > 1) {
          throw notFound(
              name + " names " + found.size() + " objects in " + where + "; give more digits");
        }
      }
    }
    throw notFound(
        "revision "
            + name
            + " is not a branch, tag or commit in "
            + where
            + " (only what the agent fetched is there)");
  }

  private static SourceFailure notFound(String message) {
    return new SourceFailure(Reason.REF_NOT_FOUND, null, Failures.oneLine(message), null);
  }
}
