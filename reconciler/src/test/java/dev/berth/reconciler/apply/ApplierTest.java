package dev.berth.reconciler.apply;

import static dev.berth.reconciler.testing.ContainerYaml.HOST;
import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.host.UnitStatus;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.pass.SkipReason;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.render.UnbuiltSystem;
import dev.berth.reconciler.testing.ContainerYaml;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ApplierTest {
  private final FakeHost host = new FakeHost();

  private ApplyReport apply(Object... documents) throws IOException {
    return apply(PassPolicy.APPLY_ALL, documents);
  }

  private ApplyReport apply(PassPolicy policy, Object... documents) throws IOException {
    return apply(policy, SystemBuilds.NONE, documents);
  }

  private ApplyReport apply(PassPolicy policy, SystemBuilds systems, Object... documents)
      throws IOException {
    HostPass.Desired desired = desired(systems, documents);
    host.calls.clear();
    return new HostPass(host.runtime(), host, host, host, 4)
        .apply(desired, policy, ApplyListener.NONE);
  }

  /** The documents loaded, placed on {@code HOST} and rendered, as a pass is given them. */
  private static HostPass.Desired desired(SystemBuilds systems, Object... documents) {
    LoadResult loaded = ContainerYaml.load(documents);
    var containers = loaded.manifests().containersOn(HOST);
    var rendering =
        new HostRenderer().render(containers, loaded.manifests().zonesOn(HOST), systems);
    return HostPass.Desired.of(HOST.name(), containers, rendering);
  }

  @Test
  void createsWritesReloadsOnceAndStartsDependenciesFirst() throws IOException {
    ApplyReport report = apply(container("web").spec("dependsOn: [db]"), container("db"));

    assertThat(report.converged()).isTrue();
    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "create db: converged (unpacked; started)",
            "create web: converged (unpacked; started)");
    assertThat(host.calls.stream().filter(c -> c.equals("daemon-reload"))).hasSize(1);
    assertThat(host.calls.indexOf("start systemd-nspawn@db.service"))
        .isLessThan(host.calls.indexOf("start systemd-nspawn@web.service"));
    assertThat(host.calls.indexOf("daemon-reload"))
        .isLessThan(host.calls.indexOf("start systemd-nspawn@db.service"));
    assertThat(host.inventory.containers()).containsOnlyKeys("db", "web");
    assertThat(host.inventory.get("db").orElseThrow().pending()).isNull();
    assertThat(host.files)
        .containsKey("etc/systemd/system/machines.target.wants/systemd-nspawn@db.service");
  }

  @Test
  void aSecondPassChangesNothing() throws IOException {
    apply(container("db"));
    int saves = host.inventorySaves;

    ApplyReport report = apply(container("db"));

    assertThat(report.results())
        .extracting(ContainerResult::action)
        .containsExactly(ActionClass.NONE);
    assertThat(host.calls).isEmpty();
    assertThat(host.inventorySaves).as("nothing changed, nothing written").isEqualTo(saves);
  }

  @Test
  void aSecondPassOfSeveralContainersStartsNoThread() throws IOException {
    HostPass.Desired desired =
        desired(SystemBuilds.NONE, container("db"), container("web"), container("cache"));
    HostPass pass = new HostPass(host.runtime(), host, host, host, 128);
    pass.apply(desired, PassPolicy.APPLY_ALL, ApplyListener.NONE);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    long before = threads.getTotalStartedThreadCount();
    ApplyReport report = pass.apply(desired, PassPolicy.APPLY_ALL, ApplyListener.NONE);
    long started = threads.getTotalStartedThreadCount() - before;

    assertThat(report.results())
        .extracting(ContainerResult::action)
        .containsOnly(ActionClass.NONE)
        .hasSize(3);
    assertThat(started).as("threads started by a pass that writes nothing").isZero();
  }

  @Test
  void aPassThatFindsTheFilesAsRenderedReadsThemOnceAndOneEditedByHandIsWrittenAgain()
      throws IOException {
    apply(container("db"));
    host.reads.clear();

    apply(container("db"));

    assertThat(host.reads).as("each file read once, by the plan").doesNotHaveDuplicates();
    String nspawn = "etc/systemd/nspawn/db.nspawn";
    String rendered = host.files.get(nspawn);
    host.files.put(nspawn, rendered + "# a comment added by hand\n");

    ApplyReport report = apply(container("db"));

    assertThat(report.results().get(0).action()).isEqualTo(ActionClass.NONE);
    assertThat(host.files.get(nspawn)).as("berth's bytes again").isEqualTo(rendered);
    assertThat(host.calls).doesNotContain("restart systemd-nspawn@db.service");
  }

  @Test
  void aFailedDependencyBlocksItsDependentsButNotTheOthers() throws IOException {
    host.failingStarts.add("systemd-nspawn@db.service");

    ApplyReport report =
        apply(container("db"), container("web").spec("dependsOn: [db]"), container("cache"));

    assertThat(report.converged()).isFalse();
    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "create cache: converged (unpacked; started)",
            "create db: failed (job failed: unit result exit-code; journal: Failed to mount /srv/x)",
            "create web: blocked (dependency db did not converge)");
    assertThat(host.calls).doesNotContain("start systemd-nspawn@web.service");
    assertThat(host.inventory.get("db").orElseThrow().pending()).isEqualTo(ActionClass.CREATE);
  }

  @Test
  void recoversTheRestartRace() throws IOException {
    apply(container("web"));
    host.racingStarts.add("systemd-nspawn@web.service");
    host.units.put("systemd-nspawn@web.service", UnitStatus.INACTIVE);

    ApplyReport report = apply(container("web"));

    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "start web: converged (started after the restart race (Machine 'web' already exists);"
                + " terminated the stale machine first)");
    assertThat(host.calls)
        .containsSubsequence(
            "start systemd-nspawn@web.service",
            "terminate web",
            "reset-failed systemd-nspawn@web.service",
            "start systemd-nspawn@web.service");
  }

  @Test
  void anEarlierRunsRaceInTheJournalDoesNotMakeANewFailureARace() throws IOException {
    apply(container("web"));
    String unit = "systemd-nspawn@web.service";
    host.log(unit, "Failed to register machine: Machine 'web' already exists");
    host.failingStarts.add(unit);
    host.units.put(unit, UnitStatus.INACTIVE);

    ApplyReport report = apply(container("web"));

    assertThat(host.tail(unit, "", 30))
        .as("the old line is still in the unit's journal")
        .contains("Failed to register machine: Machine 'web' already exists");
    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "start web: failed (job failed: unit result exit-code; journal: Failed to mount"
                + " /srv/x)");
    assertThat(host.calls).doesNotContain("terminate web", "reset-failed " + unit);
  }

  @Test
  void removesOnlyWhatTheInventoryHolds() throws IOException {
    apply(container("web"), container("old").spec("removePolicy: Delete"));
    host.files.put("etc/systemd/nspawn/foreign.nspawn", "[Exec]\nBoot=yes\n");

    ApplyReport report = apply(container("web"));

    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "none web: converged (up to date)",
            "remove old: converged (disabled, stopped, files removed; state directory"
                + " /var/lib/machines/old deleted (removePolicy: Delete))");
    assertThat(host.files)
        .containsKey("etc/systemd/nspawn/foreign.nspawn")
        .doesNotContainKey("etc/systemd/nspawn/old.nspawn");
    assertThat(host.inventory.containers()).containsOnlyKeys("web");
  }

  @Test
  void aContainerInTheInventoryWhoseNspawnFileIsGoneIsStillRemoved() throws IOException {
    apply(container("web"), container("old"));
    host.files.remove("etc/systemd/nspawn/old.nspawn");

    ApplyReport report = apply(container("web"));

    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "none web: converged (up to date)",
            "remove old: converged (disabled, stopped, files removed; state directory"
                + " /var/lib/machines/old kept)");
    assertThat(host.calls)
        .contains("stop systemd-nspawn@old.service", "disable systemd-nspawn@old.service");
    assertThat(host.files)
        .doesNotContainKey("etc/systemd/system/systemd-nspawn@old.service.d/50-berth.conf");
    assertThat(host.inventory.containers()).containsOnlyKeys("web");
  }

  @Test
  void pruningWithRemovePolicyDeleteNeverDeletesADirectoryImage() throws IOException {
    String own =
        ContainerYaml.container("own").directory("/srv/own").spec("removePolicy: Delete").yaml();
    host.files.put("srv/own/etc/os-release", "ID=mine\n");
    apply(container("web"), own);

    ApplyReport report = apply(container("web"));

    assertThat(report.results().get(1).line())
        .isEqualTo(
            "remove own: converged (disabled, stopped, files removed; /srv/own is a directory"
                + " image, not berth's state directory; not deleted (removePolicy: Delete deletes"
                + " only /var/lib/machines/own))");
    assertThat(host.files).containsKey("srv/own/etc/os-release");
    assertThat(host.calls).noneMatch(call -> call.startsWith("delete-tree"));
  }

  @Test
  void theWholeAgentSuspendedChangesNoZoneFile() throws IOException {
    String zone =
        "apiVersion: berth.dev/v1alpha1\nkind: Zone\nmetadata:\n  name: lab\nspec:\n"
            + "  placement: {hosts: [h1]}\n";
    String member = container("z1").spec("network:", "  zone: lab").yaml();

    apply(PassPolicy.observeOnly(Map.of("z1", "suspended (the whole agent)")), member, zone);

    assertThat(host.files).doesNotContainKey("etc/systemd/network/20-berth-vz-lab.network");
    assertThat(host.calls).doesNotContain("networkd-reload");

    apply(member, zone);

    assertThat(host.files).containsKey("etc/systemd/network/20-berth-vz-lab.network");
  }

  @Test
  void aContainerWhoseFileCannotBeReadIsLeftAloneAndTheOthersGoOn() throws IOException {
    apply(container("web"), container("bad"));
    host.unreadable.add("var/lib/machines/bad/etc/systemd/network/20-berth-host0.network");

    ApplyReport report =
        apply(container("web").spec("resources:", "  memoryMax: 1G"), container("bad"));

    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "conflict bad: skipped (cannot read its files on this host: refusing to read"
                + " /var/lib/machines/bad/etc/systemd/network/20-berth-host0.network: it is too"
                + " large; left alone)",
            "live web: converged (cgroup limits set on the running unit)");
    assertThat(report.results().get(0).skip()).hasValue(SkipReason.NOT_BERTHS);
  }

  @Test
  void removingAContainerAndItsZoneDeletesTheirNetworkFilesAndReloadsNetworkd() throws IOException {
    String zone =
        "apiVersion: berth.dev/v1alpha1\nkind: Zone\nmetadata:\n  name: lab\nspec:\n"
            + "  placement: {hosts: [h1]}\n";
    ContainerYaml z1 = container("z1").spec("network:", "  zone: lab", "  dns: [10.1.0.53]");
    apply(container("web"), container("own").spec("network: {}"), z1, zone);
    assertThat(host.files)
        .containsKeys(
            "etc/systemd/network/20-berth-ve-own.network",
            "etc/systemd/network/20-berth-vz-lab.network",
            "var/lib/machines/z1/etc/systemd/network/20-berth-host0.network");

    apply(container("web"), z1, zone);

    assertThat(host.files).doesNotContainKey("etc/systemd/network/20-berth-ve-own.network");
    assertThat(host.calls)
        .as("networkd forgets the removed veth's file")
        .contains("networkd-reload");

    apply(container("web"));

    assertThat(host.files.keySet()).noneMatch(path -> path.contains("systemd/network"));
    assertThat(host.calls).contains("networkd-reload");
  }

  @Test
  void aMachineBerthDidNotCreateIsNeverTakenOver() throws IOException {
    host.machines.add("web");
    host.units.put("systemd-nspawn@web.service", new UnitStatus("active", "running"));

    ApplyReport report = apply(container("web"));

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(report.results().get(0).message())
        .contains("already runs and berth did not create it");
    assertThat(host.calls).isEmpty();
  }

  @Test
  void anInterruptedActivationIsFinishedByTheNextPass() throws IOException {
    apply(container("web"));
    // A pass wrote new files and was killed before restarting: the inventory still owes the
    // restart.
    apply(container("web").spec("bindMounts:", "  - hostPath: /srv"));
    host.inventory =
        host.inventory.with(
            host.inventory.get("web").orElseThrow().withPending(ActionClass.RESTART));

    ApplyReport report = apply(container("web").spec("bindMounts:", "  - hostPath: /srv"));

    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly("restart web: converged (restarted)");
    assertThat(host.inventory.get("web").orElseThrow().pending()).isNull();
  }

  @Test
  void stoppedByAnAdministratorIsDriftAndStartedAgain() throws IOException {
    apply(container("web"));
    host.units.put("systemd-nspawn@web.service", UnitStatus.INACTIVE);

    ApplyReport report = apply(container("web"));

    assertThat(report.results().get(0).action()).isEqualTo(ActionClass.START);
    assertThat(host.calls).contains("start systemd-nspawn@web.service");
  }

  /** Systems as a builder reports them: built ones, and why the others have none. */
  private static SystemBuilds systems(Map<String, String> built, Map<String, UnbuiltSystem> not) {
    return new SystemBuilds() {
      @Override
      public java.util.Optional<String> systemOf(String container) {
        return java.util.Optional.ofNullable(built.get(container));
      }

      @Override
      public UnbuiltSystem unbuilt(String container) {
        return not.getOrDefault(container, UnbuiltSystem.NOT_BUILT);
      }
    };
  }

  @Test
  void aNixosContainerWaitsForItsBuildAndKeepsItsSystemWhenTheBuildFails() throws IOException {
    ApplyReport building =
        apply(
            PassPolicy.APPLY_ALL,
            systems(Map.of(), Map.of("web", UnbuiltSystem.building("building web.nix"))),
            container("web").nixos("web.nix"),
            container("db"));
    assertThat(building.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "create db: converged (unpacked; started)", "create web: skipped (building web.nix)");
    assertThat(building.converged()).isTrue();
    assertThat(host.files).doesNotContainKey("etc/systemd/nspawn/web.nspawn");

    apply(
        PassPolicy.APPLY_ALL,
        systems(Map.of("web", "/nix/store/a-system"), Map.of()),
        container("web").nixos("web.nix"));
    assertThat(host.files.get("etc/systemd/nspawn/web.nspawn"))
        .contains("Parameters=/nix/store/a-system/init");
    assertThat(host.calls).contains("start systemd-nspawn@web.service");

    ApplyReport failed =
        apply(
            PassPolicy.APPLY_ALL,
            systems(Map.of(), Map.of("web", UnbuiltSystem.failed("the build of web.nix failed"))),
            container("web")
                .nixos("web.nix")
                .spec("bindMounts:", "  - hostPath: /srv", "    containerPath: /srv"));
    assertThat(failed.results())
        .extracting(ContainerResult::line)
        .containsExactly("rebuild web: failed (the build of web.nix failed)");
    assertThat(host.files.get("etc/systemd/nspawn/web.nspawn"))
        .contains("Parameters=/nix/store/a-system/init")
        .doesNotContain("Bind=/srv");
    assertThat(host.calls).isEmpty();

    apply(
        PassPolicy.APPLY_ALL,
        systems(Map.of("web", "/nix/store/b-system"), Map.of()),
        container("web").nixos("web.nix"));
    assertThat(host.calls)
        .containsExactly(
            "write etc/systemd/nspawn/web.nspawn", "reload systemd-nspawn@web.service");
  }

  @Test
  void anActivationDoesNotStartAContainerStoppedOutsideBerthWithoutSelfHeal() throws IOException {
    apply(container("web"));
    host.units.put("systemd-nspawn@web.service", UnitStatus.INACTIVE);
    PassPolicy noHeal = new PassPolicy(Map.of(), true, false, 5, false);

    ApplyReport report = apply(noHeal, container("web").spec("capabilities: [CAP_NET_ADMIN]"));

    assertThat(report.results().get(0).line())
        .isEqualTo(
            "restart web: converged (files written; the unit is inactive/dead (stopped outside"
                + " berth) and stays so (selfHeal: false))");
    assertThat(host.calls).doesNotContain("start systemd-nspawn@web.service");

    ApplyReport healed = apply(container("web").spec("capabilities: [CAP_NET_ADMIN, CAP_NET_RAW]"));
    assertThat(healed.results().get(0).line())
        .isEqualTo(
            "restart web: converged (started (it was inactive/dead, stopped outside berth))");
    assertThat(healed.results().get(0).drifted()).isTrue();
  }

  @Test
  void limitsAreSetLiveAndStateStoppedStopsAndDisables() throws IOException {
    apply(container("web"));

    apply(container("web").spec("resources:", "  memoryMax: 1G"));
    assertThat(host.calls)
        .contains("limits systemd-nspawn@web.service 1G")
        .doesNotContain("restart systemd-nspawn@web.service");

    apply(container("web").spec("state: stopped", "resources:", "  memoryMax: 1G"));
    assertThat(host.calls)
        .contains("stop systemd-nspawn@web.service", "disable systemd-nspawn@web.service");
  }

  @Test
  void refusesToRemoveEveryManagedContainerOrMoreThanTheLimit() throws IOException {
    apply(container("a"), container("b"), container("c"));
    PassPolicy guarded = new PassPolicy(Map.of(), true, true, 1, false);

    ApplyReport empty = apply(guarded, container("unrelated").spec("state: stopped"));
    assertThat(empty.isRefused()).isTrue();
    assertThat(empty.refusal()).contains("would remove every managed container (3)");
    assertThat(host.calls).isEmpty();

    ApplyReport two = apply(guarded, container("a"));
    assertThat(two.refusal()).contains("would remove 2 containers, more than sync.maxRemovals (1)");
    assertThat(host.inventory.containers()).containsOnlyKeys("a", "b", "c");

    ApplyReport one = apply(guarded, container("a"), container("b"));
    assertThat(one.isRefused()).isFalse();
    assertThat(host.inventory.containers()).containsOnlyKeys("a", "b");
  }

  @Test
  void frozenContainersNoPruneAndNoSelfHealAreLeftAlone() throws IOException {
    apply(container("a"), container("b"));
    host.units.put("systemd-nspawn@a.service", UnitStatus.INACTIVE);
    PassPolicy policy = new PassPolicy(Map.of("a", "suspended"), false, false, 5, false);

    ApplyReport report = apply(policy, container("a").spec("resources:", "  memoryMax: 1G"));

    assertThat(report.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "live a: skipped (suspended)",
            "remove b: skipped (no longer placed here; not removed (prune: false))");
    assertThat(host.calls).isEmpty();

    ApplyReport unhealed =
        apply(new PassPolicy(Map.of(), false, false, 5, false), container("a"), container("b"));
    assertThat(unhealed.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "start a: skipped (drift reported, not corrected (selfHeal: false): unit is inactive/dead (drift: stopped"
                + " outside berth); starting it)",
            "none b: converged (up to date)");
    assertThat(unhealed.results().get(0).drifted()).isTrue();
    assertThat(unhealed.results().get(1).drifted()).isFalse();
  }

  @Test
  void dependentsWaitUntilTheirDependencyIsReadyAndAreBlockedWhenItNeverIs() throws IOException {
    String[] health = {"health:", "  command: [/bin/check, ready]", "  timeoutSec: 1"};

    ApplyReport ready =
        apply(container("db").spec(health), container("web").spec("dependsOn: [db]"));
    assertThat(ready.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "create db: converged (unpacked; started; ready)",
            "create web: converged (unpacked; started)");
    assertThat(host.calls.indexOf("exec db /bin/check ready"))
        .isLessThan(host.calls.indexOf("start systemd-nspawn@web.service"));

    host.healthExit.put("api", 3);
    ApplyReport never =
        apply(
            container("db").spec(health),
            container("web").spec("dependsOn: [db]"),
            container("api").spec(health),
            container("front").spec("dependsOn: [api]"));
    assertThat(never.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "create api: failed (started, but not ready within 1 s (the health command exited 3))",
            "none db: converged (up to date)",
            "create front: blocked (dependency api did not converge)",
            "none web: converged (up to date)");
  }

  @Test
  void newContainersAreUnpackedSeveralAtOnceAfterOneSaveOfAllTheirInventoryEntries()
      throws IOException {
    Meeting meeting = new Meeting(host, 3);
    LoadResult loaded = ContainerYaml.load(container("a"), container("b"), container("c"));
    var containers = loaded.manifests().containersOn(HOST);
    var rendering =
        new HostRenderer().render(containers, loaded.manifests().zonesOn(HOST), SystemBuilds.NONE);

    ApplyReport report =
        new HostPass(host.runtime(), host, meeting, host, 4)
            .apply(
                HostPass.Desired.of(HOST.name(), containers, rendering),
                PassPolicy.APPLY_ALL,
                ApplyListener.NONE);

    assertThat(report.results())
        .extracting(ContainerResult::line)
        .as("the three installs were under way together")
        .containsExactly(
            "create a: converged (unpacked; started)",
            "create b: converged (unpacked; started)",
            "create c: converged (unpacked; started)");
    assertThat(meeting.savesBeforeInstalls).containsOnly(1);
    assertThat(meeting.owedBeforeInstalls)
        .containsOnly(
            Map.of("a", ActionClass.CREATE, "b", ActionClass.CREATE, "c", ActionClass.CREATE));
    assertThat(host.inventorySaves).as("the owed activations, then their clearing").isEqualTo(2);
  }

  /**
   * The host's images, where each install waits until {@code count} installs are under way (a
   * generous time, then it fails): only installs that run at once all succeed.
   */
  private static final class Meeting implements ImageInstaller {
    private final FakeHost host;
    private final CountDownLatch arrived;
    final List<Integer> savesBeforeInstalls = Collections.synchronizedList(new ArrayList<>());
    final List<Map<String, ActionClass>> owedBeforeInstalls =
        Collections.synchronizedList(new ArrayList<>());

    Meeting(FakeHost host, int count) {
      this.host = host;
      this.arrived = new CountDownLatch(count);
    }

    @Override
    public String install(Container container) throws IOException {
      synchronized (host) {
        savesBeforeInstalls.add(host.inventorySaves);
        Map<String, ActionClass> owed = new TreeMap<>();
        host.inventory.containers().forEach((name, entry) -> owed.put(name, entry.pending()));
        owedBeforeInstalls.add(owed);
      }
      arrived.countDown();
      try {
        if (!arrived.await(30, TimeUnit.SECONDS)) {
          throw new IOException("the installs ran one at a time");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      return host.install(container);
    }

    @Override
    public String stage(Container container) {
      return host.stage(container);
    }

    @Override
    public String swapIn(String name) {
      return host.swapIn(name);
    }

    @Override
    public String swapBack(String name) throws IOException {
      return host.swapBack(name);
    }

    @Override
    public String releasePrevious(String name) {
      return host.releasePrevious(name);
    }

    @Override
    public String collectUnused(List<Container> desired) {
      return host.collectUnused(desired);
    }
  }
}
