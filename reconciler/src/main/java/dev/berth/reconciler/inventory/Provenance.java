package dev.berth.reconciler.inventory;

/**
 * Where a container in the inventory came from: its owner, a short description of its image, the
 * Git revision (Git only), when it last changed (ISO-8601) and the manifest file (imperative only).
 */
public record Provenance(
    Owner owner, String image, String revision, String updated, String manifest) {
  public Provenance {
    owner = owner == null ? Owner.GIT : owner;
  }

  public static Provenance imperative(String image, String updated, String manifest) {
    return new Provenance(Owner.IMPERATIVE, image, null, updated, manifest);
  }
}
