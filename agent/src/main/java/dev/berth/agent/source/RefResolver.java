package dev.berth.agent.source;

import dev.berth.agent.source.SourceFailure.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Finds the wanted revision with one cheap ls-remote: the branch's tip, the tag, or the highest tag
 * in a semver range. A pinned commit needs no remote at all.
 */
final class RefResolver {
  private static final List<RefSpec> ALL_BRANCHES_AND_TAGS =
      List.of(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"));

  private final SourceSettings.Ref ref;
  private final SemverRange range;
  private final ObjectId pinned;

  RefResolver(SourceSettings.Ref ref) {
    if (ref == null) {
      throw new IllegalArgumentException(
          "source.ref is missing: set one of branch, tag, semver, " + "commit");
    }
    long set =
        java.util.stream.Stream.of(ref.branch(), ref.tag(), ref.semver(), ref.commit())
            .filter(v -> v != null && !v.isBlank())
            .count();
    if (set != 1) {
      throw new IllegalArgumentException(
          "source.ref must set exactly one of branch, tag, semver, " + "commit; it sets " + set);
    }
    this.ref = ref;
    this.range = ref.semver() != null ? SemverRange.parse(ref.semver()) : null;
    if (ref.commit() != null) {
      if (!ref.commit().matches("[0-9a-fA-F]{40}")) {
        throw new IllegalArgumentException(
            "source.ref.commit must be a full 40-digit commit hash, "
                + "not \""
                + ref.commit()
                + "\"");
      }
      this.pinned = ObjectId.fromString(ref.commit());
    } else {
      this.pinned = null;
    }
  }

  /** Whether the revision never moves: a pinned commit. */
  boolean isPinned() {
    return pinned != null;
  }

  WantedRevision resolve(RemoteAccess remote) throws SourceFailure {
    if (pinned != null) {
      return new WantedRevision(pinned, "commit " + pinned.name(), ALL_BRANCHES_AND_TAGS);
    }
    Map<String, Ref> refs = listRemote(remote);
    if (ref.branch() != null) {
      return exact(refs, branchRef(), "branch " + ref.branch(), remote);
    }
    if (ref.tag() != null) {
      return exact(refs, tagRef(), "tag " + ref.tag(), remote);
    }
    return highestInRange(refs, remote);
  }

  private Map<String, Ref> listRemote(RemoteAccess remote) throws SourceFailure {
    try {
      if (remote.localRefs().isPresent()) {
        Optional<Map<String, Ref>> local = remote.localRefs().get().list(ref.branch() != null);
        if (local.isPresent()) {
          return local.get();
        }
      }
      return remote.advertisedRefs(refPrefix());
    } catch (Exception e) {
      throw Failures.remote(e, "checking", remote).failure();
    }
  }

  /**
   * What the ls-remote asks for: the branch's or the tag's full name (the server may add refs that
   * merely start with it, which the exact lookup ignores), or all tags for a semver range.
   */
  private String refPrefix() {
    if (ref.branch() != null) {
      return branchRef();
    }
    return ref.tag() != null ? tagRef() : Constants.R_TAGS;
  }

  private String branchRef() {
    return ref.branch().startsWith(Constants.R_HEADS)
        ? ref.branch()
        : Constants.R_HEADS + ref.branch();
  }

  private String tagRef() {
    return ref.tag().startsWith(Constants.R_TAGS) ? ref.tag() : Constants.R_TAGS + ref.tag();
  }

  private static WantedRevision exact(
      Map<String, Ref> refs, String name, String description, RemoteAccess remote)
      throws SourceFailure {
    Ref found = refs.get(name);
    if (found == null) {
      throw Failures.failure(
          Reason.REF_NOT_FOUND,
          description + " does not exist in " + remote.displayUrl() + "; check source.ref",
          null);
    }
    RefSpec spec = new RefSpec("+" + name + ":" + name);
    return new WantedRevision(target(found), description, List.of(spec));
  }

  private WantedRevision highestInRange(Map<String, Ref> refs, RemoteAccess remote)
      throws SourceFailure {
    record Tagged(SemVer version, String name, Ref ref) {}
    List<Tagged> tags = new ArrayList<>();
    for (Ref r : refs.values()) {
      if (!r.getName().startsWith(Constants.R_TAGS) || r.getName().endsWith("^{}")) {
        continue;
      }
      String name = r.getName().substring(Constants.R_TAGS.length());
      Optional<SemVer> version = SemVer.parseTag(name);
      if (version.isPresent() && range.test(version.get())) {
        tags.add(new Tagged(version.get(), name, r));
      }
    }
    // Two tags of one version (v1.2.3 and 1.2.3): the choice must not depend on map order.
    Optional<Tagged> best =
        tags.stream().max(Comparator.comparing(Tagged::version).thenComparing(Tagged::name));
    if (best.isEmpty()) {
      throw Failures.failure(
          Reason.REF_NOT_FOUND,
          "no tag in "
              + remote.displayUrl()
              + " matches semver range \""
              + range
              + "\" (pre-releases count only when the range "
              + "names one); check source.ref.semver",
          null);
    }
    String name = best.get().ref().getName();
    return new WantedRevision(
        target(best.get().ref()),
        "tag " + best.get().name() + " (semver " + range + ")",
        List.of(new RefSpec("+" + name + ":" + name)));
  }

  // An annotated tag's ls-remote entry carries the commit it peels to, when the server says.
  private static ObjectId target(Ref ref) {
    return ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
  }
}
