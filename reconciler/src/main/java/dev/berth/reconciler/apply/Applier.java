package dev.berth.reconciler.apply;

import dev.berth.reconciler.generation.GenerationStore;
import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.host.RuntimeFailure;
import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryStore;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.pass.ContainerDecision;
import dev.berth.reconciler.pass.PassPlan;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.render.ContainerFiles;
import dev.berth.reconciler.render.HostRendering;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Carries out a pass's final plan on a host, and decides nothing: reports what ended before any
 * work, removes, writes files (several containers at once; then one daemon-reload, one networkd
 * reload) of each container whose sealed credentials this host can decrypt, then activates
 * dependency wave by dependency wave. A container that fails does not stop the others; its
 * dependents are blocked.
 *
 * <p>Crash safety (docs/crash-safety.md): before any file of a container changes, its inventory
 * entry and the activation it is owed are saved, and the activation is cleared only once it
 * succeeded; a pass killed in between finishes the activation on the next run, when the files
 * already look converged. A removal drops the entry last, after the unit is disabled and stopped,
 * its files are gone and systemd re-read its unit files.
 */
public final class Applier {
  private final HostRuntime runtime;
  private final HostFiles files;
  private final ImageInstaller images;
  private final GenerationStore generations;
  private final InventoryStore inventoryStore;
  private final int parallelism;
  private final Clock clock = Clock.systemUTC();

  public Applier(
      HostRuntime runtime,
      HostFiles files,
      ImageInstaller images,
      GenerationStore generations,
      InventoryStore inventoryStore,
      int parallelism) {
    this.runtime = runtime;
    this.files = files;
    this.images = images;
    this.generations = generations;
    this.inventoryStore = inventoryStore;
    this.parallelism = Math.max(1, parallelism);
  }

  /**
   * Executes {@code plan}, made from {@code inventory} and for {@code containers} of {@code
   * revision} rendered as {@code rendering}.
   */
  public ApplyReport apply(
      PassPlan plan,
      Inventory inventory,
      List<Container> containers,
      HostRendering rendering,
      String revision,
      ApplyListener listener)
      throws IOException {
    if (plan.isRefused()) {
      return ApplyReport.refused(plan.host(), plan.refusal().orElseThrow());
    }
    Map<String, Container> byName =
        containers.stream().collect(Collectors.toMap(Container::name, Function.identity()));
    Map<String, ContainerFiles> filesByName =
        rendering.containers().stream()
            .collect(Collectors.toMap(ContainerFiles::name, Function.identity()));
    PassState pass = new PassState(inventory, inventoryStore, listener);
    FileSync sync = new FileSync(files, images, listener);
    Activator activator = new Activator(runtime, files, images);
    CredentialGate credentials = new CredentialGate(runtime.credentials(), files);
    GenerationKeeper kept = new GenerationKeeper(generations, files, revision, clock);

    List<ContainerDecision> acting = new ArrayList<>();
    for (ContainerDecision decision : plan.containers()) {
      if (decision.drifted()) {
        pass.drifted(decision.name());
      }
      switch (decision.verdict()) {
        case ACT -> acting.add(decision);
        case SKIP, BUILD_FIRST -> pass.record(decision, Outcome.SKIPPED, decision.reason());
        case FAIL -> pass.record(decision, Outcome.FAILED, decision.reason());
        case BLOCK -> pass.record(decision, Outcome.BLOCKED, decision.reason());
      }
    }
    Remover remover = new Remover(runtime, files, sync, listener);
    List<ContainerDecision> removed = new ArrayList<>();
    for (ContainerDecision decision : acting) {
      if (decision.action() == ActionClass.REMOVE && remover.remove(decision, pass)) {
        removed.add(decision);
      }
    }

    boolean networkChanged =
        (!plan.zonesHeld() && sync.writeZones(rendering)) | pass.removedNetwork;
    List<FileSync.Write> writes = new ArrayList<>();
    for (ContainerDecision decision : acting) {
      if (decision.action() == ActionClass.REMOVE) {
        continue;
      }
      if (decision.action() != ActionClass.NONE) {
        listener.starting(decision.planned());
      }
      if (refusedCredentials(credentials, decision, byName.get(decision.name()), pass)) {
        continue;
      }
      try {
        kept.beforeWrite(decision, filesByName.get(decision.name()));
      } catch (IOException | RuntimeException e) {
        pass.fail(decision, "cannot keep its installed files as a generation: " + e.getMessage());
        continue;
      }
      writes.add(
          new FileSync.Write(
              decision,
              byName.get(decision.name()),
              filesByName.get(decision.name()),
              plan.filesCurrent().contains(decision.name())));
    }
    FileSync.Changes changes = sync.writeAll(writes, pass, parallelism);
    boolean unitsChanged = changes.units();
    networkChanged |= changes.network();
    List<ContainerDecision> activations = new ArrayList<>();
    for (FileSync.Write write : writes) {
      if (!pass.done(write.decision().name())) {
        activations.add(write.decision());
      }
    }
    if (unitsChanged || pass.removedUnits) {
      runtime.setup().reloadUnitFiles();
    }
    if (networkChanged) {
      reloadNetwork(listener);
    }
    forget(removed, pass);
    new DependencyWaves(parallelism)
        .run(
            activations,
            byName,
            pass,
            (decision, container) ->
                activate(
                    activator, decision, container, filesByName.get(decision.name()), kept, pass));
    new DependentsOfRollbacks(runtime, files, kept).revert(activations, byName, pass);
    pass.saveIfChanged();
    if (acting.stream().anyMatch(decision -> decision.action() != ActionClass.NONE)) {
      collectUnusedImages(containers, listener);
    }
    List<ContainerResult> results = new ArrayList<>();
    for (ContainerDecision decision : plan.containers()) {
      ContainerResult result = pass.result(decision.name());
      if (result != null) {
        results.add(result);
      }
    }
    return new ApplyReport(plan.host(), results, null);
  }

  /** Fails the container before any of its files change when it needs what this host lacks. */
  private static boolean refusedCredentials(
      CredentialGate credentials, ContainerDecision decision, Container container, PassState pass) {
    try {
      Optional<String> refusal = credentials.refusal(decision, container);
      refusal.ifPresent(reason -> pass.fail(decision, reason));
      return refusal.isPresent();
    } catch (IOException | RuntimeException e) {
      pass.fail(decision, "cannot read its sealed credentials on this host: " + e.getMessage());
      return true;
    }
  }

  /**
   * The last step of a removal: the inventory entry goes once the unit is stopped, its files are
   * gone and systemd has re-read its unit files. Until then the entry says the name is berth's, so
   * a pass killed earlier is finished by the next.
   */
  private static void forget(List<ContainerDecision> removed, PassState pass) throws IOException {
    if (removed.isEmpty()) {
      return;
    }
    Inventory remaining = pass.inventory();
    for (ContainerDecision decision : removed) {
      remaining = remaining.without(decision.name());
    }
    pass.saveNow(remaining);
    removed.forEach(decision -> pass.converge(decision, pass.note(decision.name())));
  }

  private void activate(
      Activator activator,
      ContainerDecision decision,
      Container container,
      ContainerFiles desired,
      GenerationKeeper kept,
      PassState pass) {
    new ContainerActivation(runtime, files, images, activator, kept, pass)
        .run(decision, container, desired);
  }

  /** After a pass that changed something: the cached images no root holds any more go. */
  private void collectUnusedImages(List<Container> containers, ApplyListener listener) {
    try {
      String collected = images.collectUnused(containers);
      if (!collected.isEmpty()) {
        listener.note(collected);
      }
    } catch (IOException | RuntimeException e) {
      listener.note("the image cache was not cleaned up: " + e.getMessage());
    }
  }

  private void reloadNetwork(ApplyListener listener) {
    try {
      runtime.network().reloadNetwork();
    } catch (RuntimeFailure e) {
      listener.note(
          "networkd did not reload its files (berth's network files need systemd-networkd"
              + " running: systemctl enable --now systemd-networkd): "
              + e.getMessage());
    }
  }
}
