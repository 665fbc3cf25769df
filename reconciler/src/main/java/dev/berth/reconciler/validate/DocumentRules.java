package dev.berth.reconciler.validate;

import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.manifest.Sourced;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.model.Rollout;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.source.ManifestTree;

/**
 * The checks that each document passes on its own, whatever host it lands on; each topic is a class
 * of its own.
 */
final class DocumentRules {
  private final ImageRules images;
  private final SealedCredentialRules sealed;
  private final Diagnostics diagnostics;

  DocumentRules(ManifestTree tree, Diagnostics diagnostics) {
    this.images = new ImageRules(tree);
    this.sealed = new SealedCredentialRules(tree);
    this.diagnostics = diagnostics;
  }

  void container(Sourced<Container> sourced) {
    containerOnItsOwn(sourced, diagnostics);
    containerInTree(sourced);
  }

  /** The checks of a container that read other files of the tree. */
  void containerInTree(Sourced<Container> sourced) {
    DocumentFindings findings = new DocumentFindings(sourced, diagnostics);
    ContainerSpec spec = sourced.value().spec();
    images.check(spec.image(), findings);
    sealed.check(spec, findings);
  }

  /** The checks of a container that read nothing but its document. */
  static void containerOnItsOwn(Sourced<Container> sourced, Diagnostics diagnostics) {
    DocumentFindings findings = new DocumentFindings(sourced, diagnostics);
    ContainerSpec spec = sourced.value().spec();
    SingleLineStrings.check(findings);
    NameRules.container(sourced.value(), findings);
    PlacementRules.check(spec.placement(), findings);
    if (spec.network() != null) {
      NetworkRules.check(spec.network(), findings);
    }
    MountRules.check(spec, findings);
    SystemdFormatRules.check(spec, findings);
  }

  /** Every check of a zone reads nothing but its document. */
  static void zone(Sourced<Zone> sourced, Diagnostics diagnostics) {
    DocumentFindings findings = new DocumentFindings(sourced, diagnostics);
    SingleLineStrings.check(findings);
    NameRules.zone(sourced.value(), findings);
    PlacementRules.check(sourced.value().spec().placement(), findings);
    AddressRules.zone(sourced.value().spec(), findings);
  }

  void rollout(Sourced<Rollout> sourced) {
    DocumentFindings findings = new DocumentFindings(sourced, diagnostics);
    SingleLineStrings.check(findings);
    RolloutRules.check(sourced.value(), findings);
  }
}
