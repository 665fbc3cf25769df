package dev.berth.reconciler.apply;

import static dev.berth.reconciler.testing.ContainerYaml.HOST;
import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.inventory.Owner;
import dev.berth.reconciler.inventory.Provenance;
import dev.berth.reconciler.model.Activation;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.RemovePolicy;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.render.UnbuiltSystem;
import dev.berth.reconciler.testing.ContainerYaml;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * berth create, update and remove against the in-memory host, and the Git pass beside them: the
 * agent never prunes or takes over an imperative container.
 */
class ImperativeContainersTest {
  private static final String WEB_UNIT = "systemd-nspawn@web.service";
  private final FakeHost host = new FakeHost();
  private final InProcessHostLock lock = new InProcessHostLock();
  private final List<String> waits = new java.util.ArrayList<>();
  private final ImperativeContainers commands =
      new ImperativeContainers(
          host.runtime(),
          host,
          host,
          host,
          lock,
          ApplyListener.NONE,
          Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));

  private static Container one(ContainerYaml yaml) {
    return ContainerYaml.containers(yaml).get(0);
  }

  private ApplyReport create(Container container) throws IOException {
    host.calls.clear();
    return commands.create(
        HOST.name(), container, SystemBuilds.NONE, "/root/web.yaml", Set.of(), waits::add);
  }

  /** One pass of the Git agent through its entry point: lock, imperative names left out. */
  private ApplyReport gitPass(PassPolicy policy, Object... documents) throws IOException {
    return gitPass(policy, SystemBuilds.NONE, documents);
  }

  private ApplyReport gitPass(PassPolicy policy, SystemBuilds systems, Object... documents)
      throws IOException {
    GitShare share = new GitShare(host, lock);
    List<Container> containers =
        documents.length == 0 ? List.of() : ContainerYaml.containers(documents);
    host.calls.clear();
    return new GitPass(share, host.runtime(), host, host, host, 2, Clock.systemUTC())
        .apply(
            new GitPass.Desired(HOST.name(), Optional.empty(), containers, List.of()),
            SystemSource.fixed(systems),
            policy,
            ApplyListener.NONE);
  }

  private static PassPolicy prune(int maxRemovals) {
    return new PassPolicy(Map.of(), true, true, maxRemovals, false);
  }

  @Test
  void createStartsTheContainerAndRecordsItAsImperative() throws IOException {
    ApplyReport report = create(one(container("web")));

    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly("create web: converged (unpacked; started)");
    assertThat(host.calls).contains("install web", "daemon-reload", "start " + WEB_UNIT);
    assertThat(host.files).containsKey("etc/systemd/nspawn/web.nspawn");
    assertThat(host.inventory.owner("web")).contains(Owner.IMPERATIVE);
    assertThat(host.inventory.provenance().get("web"))
        .isEqualTo(
            new Provenance(
                Owner.IMPERATIVE,
                "tarball file:///i.tar",
                null,
                "2026-01-02T03:04:05Z",
                "/root/web.yaml"));
    assertThat(lock.isHeld()).isFalse();
  }

  @Test
  void createRefusesAGitContainerAnExistingOneAndAMachineBerthDidNotCreate() throws IOException {
    gitPass(PassPolicy.APPLY_ALL, container("db"));
    assertThatThrownBy(() -> create(one(container("db"))))
        .isInstanceOf(OwnershipRefusal.class)
        .hasMessage(
            "container db is managed from Git (owner: git in berth's inventory);"
                + " change its manifest in the repository instead");

    assertThatThrownBy(
            () ->
                commands.create(
                    HOST.name(),
                    one(container("api")),
                    SystemBuilds.NONE,
                    "/x.yaml",
                    Set.of("api"),
                    waits::add))
        .hasMessageContaining("a Git manifest places a container api on this host");

    create(one(container("web")));
    assertThatThrownBy(() -> create(one(container("web"))))
        .hasMessage(
            "imperative container web already exists; change it with berth update web -f FILE");

    host.files.put("etc/systemd/nspawn/hand.nspawn", "[Exec]\nBoot=yes\n");
    assertThatThrownBy(() -> create(one(container("hand"))))
        .hasMessageContaining(
            "/etc/systemd/nspawn/hand.nspawn exists, but berth's inventory has no");
    host.machines.add("other");
    assertThatThrownBy(() -> create(one(container("other"))))
        .hasMessage("a machine other already runs and berth did not create it; pick another name");

    assertThat(host.inventory.ownedBy(Owner.IMPERATIVE)).containsExactly("web");
    assertThat(host.inventory.ownedBy(Owner.GIT)).containsExactly("db");
  }

  @Test
  void updateRestartsByTheDynamicRuleOrAsForced() throws IOException {
    create(one(container("web")));

    host.calls.clear();
    ApplyReport restarted =
        commands.update(
            HOST.name(),
            one(container("web").spec("capabilities: [CAP_NET_ADMIN]")),
            SystemBuilds.NONE,
            "/w",
            null,
            waits::add);
    assertThat(restarted.results())
        .extracting(ContainerResult::action, ContainerResult::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ActionClass.RESTART, Outcome.CONVERGED));
    assertThat(host.calls).contains("restart " + WEB_UNIT);

    host.calls.clear();
    ApplyReport reloaded =
        commands.update(
            HOST.name(),
            one(container("web").spec("capabilities: [CAP_NET_ADMIN, CAP_SYS_TIME]")),
            SystemBuilds.NONE,
            "/w",
            Activation.Strategy.RELOAD,
            waits::add);
    assertThat(reloaded.results())
        .extracting(ContainerResult::action)
        .containsExactly(ActionClass.RELOAD);
    assertThat(host.calls).contains("reload " + WEB_UNIT).doesNotContain("restart " + WEB_UNIT);

    host.calls.clear();
    ApplyReport forcedRestart =
        commands.update(
            HOST.name(),
            one(container("web").spec("resources:", "  memoryMax: 1G")),
            SystemBuilds.NONE,
            "/w",
            Activation.Strategy.RESTART,
            waits::add);
    assertThat(forcedRestart.results())
        .extracting(ContainerResult::action)
        .containsExactly(ActionClass.RESTART);
    assertThat(host.calls).contains("restart " + WEB_UNIT);
  }

  @Test
  void updateAndRemoveRefuseGitContainersAndUnknownNames() throws IOException {
    gitPass(PassPolicy.APPLY_ALL, container("db"));

    assertThatThrownBy(
            () ->
                commands.update(
                    HOST.name(), one(container("db")), SystemBuilds.NONE, "/d", null, waits::add))
        .isInstanceOf(OwnershipRefusal.class)
        .hasMessageContaining("container db is managed from Git");
    assertThatThrownBy(() -> commands.remove(HOST.name(), "db", false, waits::add))
        .hasMessage(
            "container db is managed from Git (owner: git in berth's inventory);"
                + " delete its manifest from the repository and the agent prunes it");
    assertThatThrownBy(
            () ->
                commands.update(
                    HOST.name(), one(container("nope")), SystemBuilds.NONE, "/n", null, waits::add))
        .hasMessage(
            "no container nope in berth's inventory; create it with berth create nope -f FILE");
    assertThatThrownBy(() -> commands.remove(HOST.name(), "nope", false, waits::add))
        .hasMessage("no container nope in berth's inventory");
    assertThat(host.files).containsKey("etc/systemd/nspawn/db.nspawn");
  }

  @Test
  void removeKeepsTheStateDirectoryUnlessDeleteStateEvenWithRemovePolicyDelete()
      throws IOException {
    create(one(container("web").spec("removePolicy: Delete")));
    assertThat(host.inventory.get("web").orElseThrow().removePolicy())
        .isEqualTo(RemovePolicy.DELETE);

    ApplyReport removed = commands.remove(HOST.name(), "web", false, waits::add);

    assertThat(removed.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "remove web: converged (disabled, stopped, files removed; state directory"
                + " /var/lib/machines/web kept)");
    assertThat(host.calls).contains("stop " + WEB_UNIT, "disable " + WEB_UNIT);
    assertThat(host.files)
        .doesNotContainKey("etc/systemd/nspawn/web.nspawn")
        .containsKey("var/lib/machines/web/etc/os-release");
    assertThat(host.inventory.containers()).isEmpty();
    assertThat(host.inventory.provenance()).isEmpty();

    create(one(container("web")));
    assertThat(host.calls).contains("start " + WEB_UNIT);
    ApplyReport deleted = commands.remove(HOST.name(), "web", true, waits::add);
    assertThat(deleted.results().get(0).message())
        .isEqualTo(
            "disabled, stopped, files removed; state directory /var/lib/machines/web deleted"
                + " (--delete-state)");
    assertThat(host.files).doesNotContainKey("var/lib/machines/web/etc/os-release");
  }

  @Test
  void deleteStateNeverDeletesADirectoryImage() throws IOException {
    Container container = one(container("dir").directory("/srv/roots/dir"));
    host.files.put("srv/roots/dir/etc/os-release", "ID=x\n");
    create(container);

    ApplyReport removed = commands.remove(HOST.name(), "dir", true, waits::add);

    assertThat(removed.results().get(0).message())
        .contains("/srv/roots/dir is a directory image, not berth's state directory; not deleted");
    assertThat(host.files).containsKey("srv/roots/dir/etc/os-release");
  }

  @Test
  void theGitPassNeverPrunesAnImperativeContainerAndCountsOnlyItsOwnForTheGuard()
      throws IOException {
    gitPass(prune(5), container("db"), container("api"));
    create(one(container("web")));

    ApplyReport pass = gitPass(prune(5), container("db"));

    assertThat(pass.results())
        .extracting(ContainerResult::name, ContainerResult::action)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("db", ActionClass.NONE),
            org.assertj.core.groups.Tuple.tuple("api", ActionClass.REMOVE));
    assertThat(host.calls).doesNotContain("stop " + WEB_UNIT);
    assertThat(host.files).containsKey("etc/systemd/nspawn/web.nspawn");
    assertThat(host.inventory.owner("web")).contains(Owner.IMPERATIVE);

    // Git's last container going is "every managed container", though web is still there.
    ApplyReport refused = gitPass(prune(5));
    assertThat(refused.isRefused()).isTrue();
    assertThat(refused.refusal()).contains("every managed container (1)");
  }

  @Test
  void aGitManifestClaimingAnImperativeNameIsAConflictNotATakeover() throws IOException {
    create(one(container("web")));
    String before = host.files.get("etc/systemd/nspawn/web.nspawn");

    ApplyReport pass = gitPass(prune(5), container("web").spec("capabilities: [CAP_NET_ADMIN]"));

    assertThat(pass.results())
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.action()).isEqualTo(ActionClass.CONFLICT);
              assertThat(result.outcome()).isEqualTo(Outcome.SKIPPED);
              assertThat(result.message())
                  .isEqualTo(
                      "web is an imperative container (berth create); Git does not take it over:"
                          + " remove it with berth remove web or rename the manifest");
            });
    assertThat(host.files.get("etc/systemd/nspawn/web.nspawn")).isEqualTo(before);
    assertThat(host.calls).doesNotContain("restart " + WEB_UNIT);
    assertThat(host.inventory.owner("web")).contains(Owner.IMPERATIVE);
  }

  @Test
  void aGitContainerWaitingForItsSystemKeepsItsReasonBesideAClaimedName() throws IOException {
    create(one(container("web")));
    SystemBuilds systems =
        new SystemBuilds() {
          @Override
          public Optional<String> systemOf(String container) {
            return Optional.empty();
          }

          @Override
          public UnbuiltSystem unbuilt(String container) {
            return UnbuiltSystem.failed("the build of " + container + ".nix failed");
          }
        };
    ContainerYaml app = container("app").nixos("app.nix");

    ApplyReport report = gitPass(PassPolicy.APPLY_ALL, systems, app, container("web"));

    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "conflict web: skipped (web is an imperative container (berth create); Git does not"
                + " take it over: remove it with berth remove web or rename the manifest)",
            "create app: failed (the build of app.nix failed)");
  }

  @Test
  void theGitPassRecordsRevisionAndImageForBerthList() throws IOException {
    GitShare share = new GitShare(host, lock);
    List<Container> containers = ContainerYaml.containers(container("db"));
    ApplyReport first = gitPass(PassPolicy.APPLY_ALL, container("db"));
    share.recordConverged(
        "c1",
        Map.of("db", containers.get(0)),
        first.results(),
        Instant.parse("2026-01-01T00:00:00Z"));
    ApplyReport second = gitPass(PassPolicy.APPLY_ALL, container("db"));
    int saves = host.inventorySaves;
    share.recordConverged(
        "c2",
        Map.of("db", containers.get(0)),
        second.results(),
        Instant.parse("2026-01-05T00:00:00Z"));

    assertThat(host.inventory.provenance().get("db"))
        .isEqualTo(
            new Provenance(Owner.GIT, "tarball file:///i.tar", "c2", "2026-01-01T00:00:00Z", null));
    assertThat(host.inventorySaves).isEqualTo(saves + 1);
    share.recordConverged(
        "c2",
        Map.of("db", containers.get(0)),
        second.results(),
        Instant.parse("2026-01-06T00:00:00Z"));
    assertThat(host.inventorySaves).isEqualTo(saves + 1);
  }

  @Test
  void theImperativeViewHidesOtherContainersAndZonesAndRefusesToChangeThem() throws IOException {
    host.files.put("etc/systemd/nspawn/web.nspawn", "x");
    host.files.put("etc/systemd/nspawn/db.nspawn", "x");
    host.files.put("etc/systemd/network/20-berth-vz-dmz.network", "x");
    host.files.put("etc/systemd/network/20-berth-ve-web.network", "x");
    OwnedHostFiles view = OwnedHostFiles.forImperative(host, "web");

    assertThat(view.list("etc/systemd/nspawn")).containsExactly("web.nspawn");
    assertThat(view.list("etc/systemd/network")).containsExactly("20-berth-ve-web.network");
    assertThatThrownBy(() -> view.delete("etc/systemd/nspawn/db.nspawn"))
        .hasMessageContaining("container db is not managed by this pass");
    assertThatThrownBy(() -> view.delete("etc/systemd/network/20-berth-vz-dmz.network"))
        .hasMessageContaining("zones are managed from Git");
    assertThatThrownBy(() -> view.deleteTree("var/lib/machines/db"))
        .hasMessageContaining("container db");
    OwnedHostFiles git = OwnedHostFiles.forGit(host, () -> Set.of("web"));
    assertThat(git.list("etc/systemd/nspawn")).containsExactly("db.nspawn");
    assertThatThrownBy(
            () -> git.delete("etc/systemd/system/systemd-nspawn@web.service.d/50-berth.conf"))
        .hasMessageContaining("container web is not managed by this pass");
  }

  @Test
  void theInventoryMergeKeepsTheOtherOwnersShare() {
    InventoryEntry db = new InventoryEntry("db", RemovePolicy.RETAIN, "var/lib/machines/db", null);
    InventoryEntry web =
        new InventoryEntry("web", RemovePolicy.RETAIN, "var/lib/machines/web", null);
    Inventory whole =
        Inventory.EMPTY
            .with(db)
            .with(web)
            .with("web", Provenance.imperative("tarball x", "t", "/w"));

    assertThat(whole.share(Owner.GIT).containers()).containsOnlyKeys("db");
    assertThat(whole.share(Owner.IMPERATIVE).containers()).containsOnlyKeys("web");
    // Git saves its share without db and with a "web" of its own: web stays imperative.
    Inventory merged =
        whole.merge(
            Owner.GIT,
            Inventory.EMPTY.with(
                new InventoryEntry("web", RemovePolicy.DELETE, "elsewhere", null)));
    assertThat(merged.containers()).containsOnlyKeys("web");
    assertThat(merged.get("web")).contains(web);
    assertThat(merged.owner("web")).contains(Owner.IMPERATIVE);
  }
}
