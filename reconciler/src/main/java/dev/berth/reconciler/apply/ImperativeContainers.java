package dev.berth.reconciler.apply;

import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.host.HostSnapshot;
import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.inventory.InventoryStore;
import dev.berth.reconciler.inventory.OwnedInventoryStore;
import dev.berth.reconciler.inventory.Owner;
import dev.berth.reconciler.inventory.Provenance;
import dev.berth.reconciler.model.Activation;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.model.RemovePolicy;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.render.HostPaths;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.SystemBuilds;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * RFC 0108's imperative containers ({@code nixos-nspawn create/update}) as berth does them: one
 * {@code Container} manifest applied at once by the same {@link HostPass} as a Git pass, on a view
 * of the host that holds only that container, and recorded in the inventory as imperative, so that
 * the Git agent never prunes or takes it over. A Git-owned name is refused, and so is a machine
 * berth did not create. Every command holds the {@link HostLock} from its checks to its last save.
 */
public final class ImperativeContainers {
  private final HostRuntime runtime;
  private final HostFiles files;
  private final ImageInstaller images;
  private final InventoryStore whole;
  private final HostLock lock;
  private final ApplyListener listener;
  private final Clock clock;

  public ImperativeContainers(
      HostRuntime runtime,
      HostFiles files,
      ImageInstaller images,
      InventoryStore whole,
      HostLock lock,
      ApplyListener listener,
      Clock clock) {
    this.runtime = runtime;
    this.files = files;
    this.images = images;
    this.whole = whole;
    this.lock = lock;
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * Creates the container and starts it (unless its manifest says {@code state: stopped}).
   *
   * @param systems the built NixOS system of a {@code nixos} container
   * @param gitNames names that the Git source places on this host, as far as known (the agent's
   *     status); refused like a Git-owned inventory entry
   * @param waiting told once if another berth process holds the host lock
   */
  public ApplyReport create(
      String host,
      Container container,
      SystemBuilds systems,
      String manifest,
      Set<String> gitNames,
      Consumer<String> waiting)
      throws IOException {
    String name = container.name();
    try (HostLock.Held held = lock.acquire(waiting)) {
      Inventory inventory = whole.load();
      var owner = inventory.owner(name);
      if (owner.isPresent() && owner.get() == Owner.GIT) {
        throw managedByGit(name, "create");
      }
      if (owner.isPresent() && inventory.get(name).isPresent()) {
        throw new OwnershipRefusal(
            "imperative container "
                + name
                + " already exists; change it with berth update "
                + name
                + " -f FILE");
      }
      if (gitNames.contains(name)) {
        throw new OwnershipRefusal(
            "a Git manifest places a container "
                + name
                + " on this host (the agent's status says so); pick another name");
      }
      if (files.read(HostPaths.nspawn(name)).isPresent()) {
        throw new OwnershipRefusal(
            "/"
                + HostPaths.nspawn(name)
                + " exists, but berth's inventory has no container "
                + name
                + "; berth does not take it over (pick another name, or move that file away)");
      }
      HostSnapshot snapshot = runtime.observer().observe();
      if (snapshot.machines().contains(name) || snapshot.unit(HostPaths.unit(name)).isActive()) {
        throw new OwnershipRefusal(
            "a machine " + name + " already runs and berth did not create it; pick another name");
      }
      whole.save(inventory.with(name, provenance(container, manifest)));
      ApplyReport report =
          pass(name).apply(desired(host, container, systems), PassPolicy.APPLY_ALL, listener);
      if (whole.load().get(name).isEmpty()) {
        whole.save(whole.load().without(name)); // nothing was created: drop the claim
      }
      return report;
    }
  }

  /**
   * Applies a changed manifest to an imperative container. {@code forced} (reload or restart)
   * replaces the manifest's activation strategy, and so RFC 0108's dynamic rule, for this change;
   * null keeps it.
   */
  public ApplyReport update(
      String host,
      Container container,
      SystemBuilds systems,
      String manifest,
      Activation.Strategy forced,
      Consumer<String> waiting)
      throws IOException {
    String name = container.name();
    try (HostLock.Held held = lock.acquire(waiting)) {
      Inventory inventory = requireImperative(name, "update");
      whole.save(inventory.with(name, provenance(container, manifest)));
      Container applied = forced == null ? container : withStrategy(container, forced);
      return pass(name).apply(desired(host, applied, systems), PassPolicy.APPLY_ALL, listener);
    }
  }

  /**
   * Stops the container, disables it and removes berth's files. Its state directory stays unless
   * {@code deleteState}; even then only a state directory under /var/lib/machines is deleted, never
   * a directory image.
   */
  public ApplyReport remove(String host, String name, boolean deleteState, Consumer<String> waiting)
      throws IOException {
    try (HostLock.Held held = lock.acquire(waiting)) {
      Inventory inventory = requireImperative(name, "remove");
      InventoryEntry entry = inventory.get(name).orElseThrow();
      if (entry.removePolicy() != RemovePolicy.RETAIN) {
        // The manifest's removePolicy is for Git's pruning; here only --delete-state deletes.
        whole.save(
            inventory.with(
                new InventoryEntry(
                    name,
                    RemovePolicy.RETAIN,
                    entry.stateDir(),
                    entry.pending(),
                    entry.rolledBack())));
      }
      ApplyReport report =
          pass(name)
              .apply(
                  HostPass.Desired.of(host, List.of(), new HostRendering(List.of(), List.of())),
                  PassPolicy.APPLY_ALL,
                  listener);
      if (!deleteState || !report.converged()) {
        return report;
      }
      ContainerResult removed = report.results().get(0);
      String state;
      if (entry.stateDir().equals(HostPaths.stateDir(name))) {
        files.deleteTree(entry.stateDir());
        state = "state directory /" + entry.stateDir() + " deleted (--delete-state)";
      } else {
        state =
            "/"
                + entry.stateDir()
                + " is a directory image, not berth's state directory; not deleted";
      }
      ContainerResult result =
          new ContainerResult(
              name,
              removed.action(),
              removed.outcome(),
              "disabled, stopped, files removed; " + state,
              false);
      listener.note(state);
      return new ApplyReport(host, List.of(result), null);
    }
  }

  private Inventory requireImperative(String name, String command) throws IOException {
    Inventory inventory = whole.load();
    var owner = inventory.owner(name);
    if (owner.isEmpty()) {
      throw new OwnershipRefusal(
          "no container "
              + name
              + " in berth's inventory"
              + (command.equals("update")
                  ? "; create it with berth create " + name + " -f FILE"
                  : ""));
    }
    if (owner.get() == Owner.GIT) {
      throw managedByGit(name, command);
    }
    if (inventory.get(name).isEmpty()) {
      if (command.equals("remove")) {
        whole.save(inventory.without(name));
        throw new OwnershipRefusal(
            "imperative container "
                + name
                + " was never created (an interrupted berth create); its claim is dropped");
      }
      throw new OwnershipRefusal(
          "imperative container "
              + name
              + " was never created (an interrupted berth create); run berth create "
              + name
              + " -f FILE");
    }
    return inventory;
  }

  private static OwnershipRefusal managedByGit(String name, String command) {
    String what =
        command.equals("remove")
            ? "delete its manifest from the repository and the agent prunes it"
            : "change its manifest in the repository instead";
    return new OwnershipRefusal(
        "container " + name + " is managed from Git (owner: git in berth's inventory); " + what);
  }

  private Provenance provenance(Container container, String manifest) {
    return Provenance.imperative(ImageLabel.of(container), clock.instant().toString(), manifest);
  }

  /** A pass that sees only the named imperative container: its files and its inventory entry. */
  private HostPass pass(String name) {
    return new HostPass(
        runtime,
        OwnedHostFiles.forImperative(files, name),
        images,
        OwnedInventoryStore.forContainer(whole, Owner.IMPERATIVE, name),
        1);
  }

  private static HostPass.Desired desired(String host, Container container, SystemBuilds systems) {
    return HostPass.Desired.of(
        host,
        List.of(container),
        new HostRenderer().render(List.of(container), List.of(), systems));
  }

  private static Container withStrategy(Container container, Activation.Strategy strategy) {
    ContainerSpec s = container.spec();
    return new Container(
        container.metadata(),
        new ContainerSpec(
            s.placement(),
            s.state(),
            s.autoStart(),
            s.image(),
            s.network(),
            s.bindMounts(),
            s.ephemeral(),
            s.privateUsers(),
            s.capabilities(),
            s.resources(),
            s.credentials(),
            s.timeoutStartSec(),
            new Activation(strategy),
            s.nspawn(),
            s.dependsOn(),
            s.health(),
            s.rollback(),
            s.removePolicy()));
  }
}
