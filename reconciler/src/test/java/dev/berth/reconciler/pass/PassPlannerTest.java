package dev.berth.reconciler.pass;

import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.host.HostSnapshot;
import dev.berth.reconciler.host.UnitStatus;
import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.RemovePolicy;
import dev.berth.reconciler.pass.ContainerDecision.Verdict;
import dev.berth.reconciler.pass.UnitStep.Op;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.plan.Plan;
import dev.berth.reconciler.plan.PlannedAction;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.UnbuiltSystem;
import dev.berth.reconciler.testing.ContainerYaml;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pass planner decides every container's final action from the file plan, the units, the
 * inventory and the policy: a table of those inputs and the decision, no host at all.
 */
class PassPlannerTest {
  private static final UnitStatus ACTIVE = new UnitStatus("active", "running");
  private static final UnitStatus INACTIVE = UnitStatus.INACTIVE;
  private static final UnitStatus FAILED = new UnitStatus("failed", "failed");
  private static final UnitStatus STOPPING = new UnitStatus("deactivating", "stop-sigterm");
  private static final PassPolicy ALL = PassPolicy.APPLY_ALL;
  private static final PassPolicy NO_HEAL = new PassPolicy(Map.of(), true, false, 10, false);
  private static final PassPolicy NO_PRUNE = new PassPolicy(Map.of(), false, true, 10, false);
  private static final Instant WINDOW_OPENS = Instant.parse("2026-12-05T02:00:00Z");
  private static final HeldActions DISRUPTIVE_HELD =
      new HeldActions(
          Map.of(
              ActionClass.RESTART, WINDOW_OPENS,
              ActionClass.REBUILD, WINDOW_OPENS,
              ActionClass.REMOVE, WINDOW_OPENS,
              ActionClass.STOP, WINDOW_OPENS));
  private static final PassPolicy OUTSIDE_WINDOW = ALL.withHeld(DISRUPTIVE_HELD);

  /** One row: what the host and the inventory say, and what the pass decides for web. */
  private record Row(
      ContainerYaml web,
      ActionClass fileClass,
      String fileReason,
      UnitStatus unit,
      boolean machine,
      ActionClass pending,
      Map<String, UnbuiltSystem> unbuilt,
      PassPolicy policy) {
    Row unit(UnitStatus status) {
      return new Row(web, fileClass, fileReason, status, machine, pending, unbuilt, policy);
    }

    Row foreignMachine() {
      return new Row(web, fileClass, fileReason, unit, true, pending, unbuilt, policy);
    }

    Row pending(ActionClass owed) {
      return new Row(web, fileClass, fileReason, unit, machine, owed, unbuilt, policy);
    }

    Row unbuilt(UnbuiltSystem why) {
      return new Row(
          web, fileClass, fileReason, unit, machine, pending, Map.of("web", why), policy);
    }

    Row policy(PassPolicy chosen) {
      return new Row(web, fileClass, fileReason, unit, machine, pending, unbuilt, chosen);
    }

    Row manifest(ContainerYaml changed) {
      return new Row(changed, fileClass, fileReason, unit, machine, pending, unbuilt, policy);
    }

    /** Berth created web earlier (it is in the inventory), unless this is a create. */
    ContainerDecision decide() {
      Container container = ContainerYaml.containers(web).get(0);
      Map<String, UnitStatus> units = new HashMap<>();
      units.put("systemd-nspawn@web.service", unit);
      HostSnapshot snapshot = new HostSnapshot(units, machine ? Set.of("web") : Set.of());
      Map<String, InventoryEntry> entries = new HashMap<>();
      if (fileClass != ActionClass.CREATE) {
        entries.put(
            "web", new InventoryEntry("web", RemovePolicy.RETAIN, "var/lib/machines/web", pending));
      }
      Plan files = new Plan("h1", List.of(PlannedAction.container("web", fileClass, fileReason)));
      return new PassPlanner()
          .plan(
              files,
              List.of(container),
              new HostRendering(List.of(), List.of(), unbuilt),
              Map.of(),
              Observation.live(snapshot, new Inventory(entries, Map.of())),
              policy)
          .decision("web")
          .orElseThrow();
    }
  }

  private static final String IMAGE_CHANGED =
      "image changed: sha256 aaaaaaaaaaaa… → sha256 bbbbbbbbbbbb…; the new root is unpacked"
          + " beside the old and swapped in at the restart";

  private static Row file(ActionClass fileClass, String reason) {
    return new Row(container("web"), fileClass, reason, ACTIVE, false, null, Map.of(), ALL);
  }

  private static Arguments row(
      String title, Row row, String line, Verdict verdict, Op op, boolean drifted) {
    return Arguments.of(title, row, line, verdict, op, drifted);
  }

  static Stream<Arguments> decisions() {
    Row none = file(ActionClass.NONE, "up to date");
    Row restart = file(ActionClass.RESTART, "changed Bind=");
    Row reload = file(ActionClass.RELOAD, "only the system changed (Parameters=)");
    Row create = file(ActionClass.CREATE, "new container").unit(INACTIVE);
    Row live = file(ActionClass.LIVE, "changed unit MemoryMax=; set at runtime");
    ContainerYaml stopped = container("web").spec("state: stopped");
    Row upgrade = file(ActionClass.REBUILD, IMAGE_CHANGED);
    return Stream.of(
        row(
            "a new tarball image of a running unit: its root is replaced",
            upgrade,
            "rebuild web: " + IMAGE_CHANGED,
            Verdict.ACT,
            Op.REPLACE_ROOT,
            false),
        row(
            "a new tarball image, meant to be stopped: the root is replaced, the unit stays stopped",
            upgrade.manifest(stopped),
            "rebuild web: " + IMAGE_CHANGED,
            Verdict.ACT,
            Op.REPLACE_ROOT,
            false),
        row(
            "a new tarball image of a unit stopped outside berth: healed on the new root",
            upgrade.unit(FAILED),
            "rebuild web: " + IMAGE_CHANGED,
            Verdict.ACT,
            Op.REPLACE_ROOT,
            true),
        row(
            "a new tarball image of a unit stopped outside berth, no self-heal: swapped, not"
                + " started",
            upgrade.unit(INACTIVE).policy(NO_HEAL),
            "rebuild web: " + IMAGE_CHANGED,
            Verdict.ACT,
            Op.REPLACE_ROOT,
            false),
        row(
            "an image upgrade an interrupted pass owes: the root is replaced",
            none.pending(ActionClass.REBUILD),
            "rebuild web: finishing the rebuild that an earlier pass did not complete",
            Verdict.ACT,
            Op.REPLACE_ROOT,
            false),
        row(
            "a record of the image in an old drop-in: files only",
            file(ActionClass.WRITE, "records the image (sha256 cccccccccccc…) in its drop-in"),
            "write web: records the image (sha256 cccccccccccc…) in its drop-in",
            Verdict.ACT,
            Op.KEEP,
            false),
        row("equal and running", none, "none web: up to date", Verdict.ACT, Op.KEEP, false),
        row(
            "stopped outside berth: drift, started",
            none.unit(INACTIVE),
            "start web: unit is inactive/dead (drift: stopped outside berth); starting it",
            Verdict.ACT,
            Op.START,
            true),
        row(
            "stopped outside berth without self-heal: reported only",
            none.unit(INACTIVE).policy(NO_HEAL),
            "start web: skipped (drift reported, not corrected (selfHeal: false): unit is"
                + " inactive/dead (drift: stopped outside berth); starting it)",
            Verdict.SKIP,
            Op.KEEP,
            true),
        row(
            "state stopped but running: stopped",
            none.manifest(stopped),
            "stop web: state: stopped, but the unit is active/running",
            Verdict.ACT,
            Op.STOP,
            false),
        row(
            "an administrator's job under way: left to it",
            none.unit(STOPPING),
            "none web: skipped (unit is deactivating/stop-sigterm; looking again when it settles)",
            Verdict.SKIP,
            Op.KEEP,
            false),
        row(
            "an activation an interrupted pass owes",
            none.pending(ActionClass.RESTART),
            "restart web: finishing the restart that an earlier pass did not complete",
            Verdict.ACT,
            Op.RESTART,
            false),
        row(
            "a restart of a running unit",
            restart,
            "restart web: changed Bind=",
            Verdict.ACT,
            Op.RESTART,
            false),
        row(
            "a reload of a running unit",
            reload,
            "reload web: only the system changed (Parameters=)",
            Verdict.ACT,
            Op.RELOAD,
            false),
        row(
            "a restart owed to a unit stopped outside berth: healed by a start",
            restart.unit(INACTIVE),
            "restart web: changed Bind=",
            Verdict.ACT,
            Op.START,
            true),
        row(
            "a reload owed to a unit stopped outside berth, no self-heal: files only",
            reload.unit(INACTIVE).policy(NO_HEAL),
            "reload web: only the system changed (Parameters=)",
            Verdict.ACT,
            Op.KEEP,
            false),
        row(
            "a restart of a container meant to be stopped: files only",
            restart.unit(INACTIVE).manifest(stopped),
            "restart web: changed Bind=",
            Verdict.ACT,
            Op.KEEP,
            false),
        row(
            "a restart of a running container now meant to be stopped: stopped, not restarted",
            restart.manifest(stopped),
            "restart web: changed Bind=; state: stopped, so its unit is stopped",
            Verdict.ACT,
            Op.STOP,
            false),
        row(
            "meant to be stopped, owed an activation, looks inactive: stopped (a queued start"
                + " job of the interrupted pass is replaced)",
            none.unit(INACTIVE).manifest(stopped).pending(ActionClass.CREATE),
            "create web: finishing the create that an earlier pass did not complete; state:"
                + " stopped, so its unit is stopped",
            Verdict.ACT,
            Op.STOP,
            false),
        row(
            "limits of a running unit",
            live,
            "live web: changed unit MemoryMax=; set at runtime",
            Verdict.ACT,
            Op.SET_LIMITS,
            false),
        row(
            "limits owed to a unit stopped outside berth: healed by a start",
            live.unit(FAILED),
            "live web: changed unit MemoryMax=; set at runtime",
            Verdict.ACT,
            Op.START,
            true),
        row(
            "limits owed to a unit stopped outside berth, no self-heal: files only",
            live.unit(INACTIVE).policy(NO_HEAL),
            "live web: changed unit MemoryMax=; set at runtime",
            Verdict.ACT,
            Op.KEEP,
            false),
        row("a new container", create, "create web: new container", Verdict.ACT, Op.START, false),
        row(
            "a new container meant to be stopped: files only",
            create.manifest(stopped),
            "create web: new container",
            Verdict.ACT,
            Op.KEEP,
            false),
        row(
            "a machine of that name that berth did not create",
            create.foreignMachine(),
            "conflict web: a machine web already runs and berth did not create it; annotate the"
                + " manifest with berth.dev/adopt: \"true\" to take it over",
            Verdict.SKIP,
            Op.KEEP,
            false),
        row(
            "that machine, adopted",
            create.foreignMachine().manifest(container("web").adopting()),
            "create web: new container",
            Verdict.ACT,
            Op.START,
            false),
        row(
            "a NixOS system still building",
            file(ActionClass.REBUILD, "build the NixOS system")
                .manifest(container("web").nixos("web.nix"))
                .unbuilt(UnbuiltSystem.building("building its NixOS system (12 s)")),
            "rebuild web: skipped (building its NixOS system (12 s))",
            Verdict.SKIP,
            Op.KEEP,
            false),
        row(
            "a NixOS system whose build failed",
            create.unbuilt(UnbuiltSystem.failed("the build of web.nix failed")),
            "create web: failed (the build of web.nix failed)",
            Verdict.FAIL,
            Op.KEEP,
            false),
        row(
            "suspended",
            restart.policy(new PassPolicy(Map.of("web", "suspended"), true, true, 10, false)),
            "restart web: skipped (suspended)",
            Verdict.SKIP,
            Op.KEEP,
            false),
        row(
            "suspended, but nothing to do",
            none.policy(new PassPolicy(Map.of("web", "suspended"), true, true, 10, false)),
            "none web: up to date",
            Verdict.ACT,
            Op.KEEP,
            false),
        row(
            "a restart outside its maintenance window",
            restart.policy(OUTSIDE_WINDOW),
            "restart web: skipped (outside its maintenance window until 2026-12-05T02:00:00Z:"
                + " changed Bind=)",
            Verdict.SKIP,
            Op.KEEP,
            false),
        row(
            "a reload, which the maintenance window does not hold",
            reload.policy(OUTSIDE_WINDOW),
            "reload web: only the system changed (Parameters=)",
            Verdict.ACT,
            Op.RELOAD,
            false),
        row(
            "a file berth did not write",
            file(
                ActionClass.CONFLICT,
                "/etc/systemd/nspawn/web.nspawn exists and was not written by berth"),
            "conflict web: /etc/systemd/nspawn/web.nspawn exists and was not written by berth",
            Verdict.SKIP,
            Op.KEEP,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void decidesEachContainersFinalAction(
      String title, Row row, String line, Verdict verdict, Op op, boolean drifted) {
    ContainerDecision decision = row.decide();

    assertThat(decision.line()).isEqualTo(line);
    assertThat(decision.verdict()).isEqualTo(verdict);
    assertThat(decision.step().op()).isEqualTo(op);
    assertThat(decision.drifted()).isEqualTo(drifted);
  }

  @Test
  void healingAStoppedUnitSaysWhatItWasAndResetsAFailedOne() {
    ContainerDecision decision = file(ActionClass.RESTART, "changed Bind=").unit(FAILED).decide();

    assertThat(decision.step())
        .isEqualTo(UnitStep.start(true, " (it was failed/failed, stopped outside berth)"));
  }

  @Test
  void anImageUpgradeStartsTheUnitOnTheNewRootOnlyWhereItShouldRun() {
    Row upgrade = file(ActionClass.REBUILD, IMAGE_CHANGED);

    assertThat(upgrade.decide().step()).isEqualTo(UnitStep.replaceRoot(false, ""));
    assertThat(upgrade.unit(FAILED).decide().step())
        .isEqualTo(UnitStep.replaceRoot(true, " (it was failed/failed, stopped outside berth)"));
    assertThat(upgrade.manifest(container("web").spec("state: stopped")).decide().step())
        .isEqualTo(UnitStep.replaceRootStopped("; state: stopped, so its unit stays stopped"));
    assertThat(upgrade.unit(INACTIVE).policy(NO_HEAL).decide().step().awaitHealth()).isFalse();
  }

  @Test
  void aNixosRebuildStillWaitsForItsSystem() {
    ContainerDecision decision =
        file(ActionClass.REBUILD, "build the NixOS system from web.nix")
            .manifest(container("web").nixos("web.nix"))
            .decide();

    assertThat(decision.verdict()).isEqualTo(Verdict.BUILD_FIRST);
    assertThat(decision.step().op()).isEqualTo(Op.KEEP);
  }

  /** A pass over several containers with an inventory: removal, claims and the guard. */
  private static PassPlan pass(
      List<ContainerYaml> desired,
      List<String> inventory,
      Map<String, String> claimed,
      Map<String, UnbuiltSystem> unbuilt,
      PassPolicy policy) {
    List<Container> containers =
        desired.isEmpty() ? List.of() : ContainerYaml.containers(desired.toArray());
    List<PlannedAction> files = new ArrayList<>();
    containers.forEach(
        c -> files.add(PlannedAction.container(c.name(), ActionClass.NONE, "up to date")));
    Map<String, InventoryEntry> entries = new HashMap<>();
    for (String name : inventory) {
      entries.put(
          name,
          new InventoryEntry(
              name,
              name.startsWith("tmp") ? RemovePolicy.DELETE : RemovePolicy.RETAIN,
              "var/lib/machines/" + name,
              null));
    }
    Map<String, UnitStatus> units = new HashMap<>();
    inventory.forEach(name -> units.put("systemd-nspawn@" + name + ".service", ACTIVE));
    return new PassPlanner()
        .plan(
            new Plan("h1", files),
            containers,
            new HostRendering(List.of(), List.of(), unbuilt),
            claimed,
            Observation.live(
                new HostSnapshot(units, Set.copyOf(inventory)), new Inventory(entries, Map.of())),
            policy);
  }

  @Test
  void removesWhatTheInventoryHoldsAndNoManifestPlacesHereEvenWithoutItsFiles() {
    PassPlan plan =
        pass(List.of(container("web")), List.of("web", "old", "tmp1"), Map.of(), Map.of(), ALL);

    assertThat(plan.lines())
        .containsExactly(
            "none web: up to date",
            "remove old: no longer placed on this host; berth's files go, the state directory"
                + " var/lib/machines/old stays",
            "remove tmp1: no longer placed on this host; berth's files go, the state directory"
                + " var/lib/machines/tmp1 is deleted (removePolicy: Delete)");
    assertThat(plan.decision("old").orElseThrow().step().op()).isEqualTo(Op.STOP);
    assertThat(plan.isRefused()).isFalse();
  }

  @Test
  void aRemovalStopsAUnitThatLooksInactiveOrIsOwedAnActivation() {
    Map<String, InventoryEntry> entries = new HashMap<>();
    for (String name : List.of("web", "old", "owed")) {
      entries.put(
          name,
          new InventoryEntry(
              name,
              RemovePolicy.RETAIN,
              "var/lib/machines/" + name,
              name.equals("owed") ? ActionClass.RESTART : null));
    }
    Map<String, UnitStatus> units =
        Map.of(
            "systemd-nspawn@web.service", ACTIVE,
            "systemd-nspawn@old.service", INACTIVE,
            "systemd-nspawn@owed.service", STOPPING);
    PassPlan plan =
        new PassPlanner()
            .plan(
                new Plan("h1", List.of(PlannedAction.container("web", ActionClass.NONE, "ok"))),
                ContainerYaml.containers(container("web")),
                new HostRendering(List.of(), List.of(), Map.of()),
                Map.of(),
                Observation.live(
                    new HostSnapshot(units, Set.of("web", "owed")),
                    new Inventory(entries, Map.of())),
                ALL);

    assertThat(plan.decision("old").orElseThrow().step().op()).isEqualTo(Op.STOP);
    assertThat(plan.decision("owed").orElseThrow().step().op()).isEqualTo(Op.STOP);
    assertThat(plan.decision("owed").orElseThrow().action()).isEqualTo(ActionClass.REMOVE);
  }

  @Test
  void withoutPruneARemovalIsSkipped() {
    PassPlan plan =
        pass(List.of(container("web")), List.of("web", "old"), Map.of(), Map.of(), NO_PRUNE);

    assertThat(plan.lines())
        .containsExactly(
            "none web: up to date",
            "remove old: skipped (no longer placed here; not removed (prune: false))");
  }

  @Test
  void refusesAPassThatRemovesEverythingOrMoreThanTheLimit() {
    PassPolicy guarded = new PassPolicy(Map.of(), true, true, 1, false);

    assertThat(pass(List.of(), List.of("a", "b"), Map.of(), Map.of(), guarded).refusal())
        .hasValue(
            "the pass would remove every managed container (2); refused (set sync.allowEmpty: true"
                + " if that is what you want)");
    assertThat(
            pass(List.of(container("web")), List.of("web", "a", "b"), Map.of(), Map.of(), guarded)
                .refusal())
        .hasValue("the pass would remove 2 containers, more than sync.maxRemovals (1); refused");
    assertThat(pass(List.of(), List.of("a", "b"), Map.of(), Map.of(), ALL).isRefused()).isFalse();
  }

  @Test
  void aClaimedNameIsAConflictAndNeverRemoved() {
    PassPlan plan =
        pass(
            List.of(container("web")),
            List.of("web", "db"),
            Map.of("db", "db is an imperative container"),
            Map.of(),
            ALL);

    assertThat(plan.lines())
        .containsExactly("conflict db: db is an imperative container", "none web: up to date");
  }

  @Test
  void containersBehindAFailedBuildAreBlockedTransitively() {
    PassPlan failedDb =
        new PassPlanner()
            .plan(
                new Plan(
                    "h1",
                    List.of(
                        PlannedAction.container("db", ActionClass.CREATE, "new container"),
                        PlannedAction.container("app", ActionClass.CREATE, "new container"),
                        PlannedAction.container("web", ActionClass.CREATE, "new container"),
                        PlannedAction.container("other", ActionClass.CREATE, "new container"))),
                ContainerYaml.containers(
                    container("db").nixos("db.nix"),
                    container("app").spec("dependsOn: [db]"),
                    container("web").spec("dependsOn: [app]"),
                    container("other")),
                new HostRendering(
                    List.of(), List.of(), Map.of("db", UnbuiltSystem.failed("the build failed"))),
                Map.of(),
                Observation.live(new HostSnapshot(Map.of(), Set.of()), Inventory.EMPTY),
                ALL);

    assertThat(failedDb.lines())
        .containsExactly(
            "create db: failed (the build failed)",
            "create app: blocked (dependency db did not converge)",
            "create web: blocked (dependency app did not converge)",
            "create other: new container");
  }

  @Test
  void aDirectoryStandingForAHostHasNoUnitsSoNothingStartsOrStops() {
    ContainerDecision decision =
        new PassPlanner()
            .plan(
                new Plan(
                    "h1", List.of(PlannedAction.container("web", ActionClass.NONE, "up to date"))),
                ContainerYaml.containers(container("web")),
                new HostRendering(List.of(), List.of()),
                Map.of(),
                Observation.filesOnly(Inventory.EMPTY),
                ALL)
            .decision("web")
            .orElseThrow();

    assertThat(decision.line()).isEqualTo("none web: up to date");
  }

  /** web restarts, db reloads, app (behind web) restarts, in one pass on a live host. */
  private static PassPlan restartAndReload(PassPolicy policy) {
    Map<String, InventoryEntry> entries = new HashMap<>();
    Map<String, UnitStatus> units = new HashMap<>();
    for (String name : List.of("web", "db", "app")) {
      entries.put(
          name, new InventoryEntry(name, RemovePolicy.RETAIN, "var/lib/machines/" + name, null));
      units.put("systemd-nspawn@" + name + ".service", ACTIVE);
    }
    return new PassPlanner()
        .plan(
            new Plan(
                "h1",
                List.of(
                    PlannedAction.container("web", ActionClass.RESTART, "changed Bind="),
                    PlannedAction.container(
                        "db", ActionClass.RELOAD, "only the system changed (Parameters=)"),
                    PlannedAction.container("app", ActionClass.LIVE, "changed unit MemoryMax="))),
            ContainerYaml.containers(
                container("web"), container("db"), container("app").spec("dependsOn: [web]")),
            new HostRendering(List.of(), List.of()),
            Map.of(),
            Observation.live(
                new HostSnapshot(units, Set.of("web", "db", "app")),
                new Inventory(entries, Map.of())),
            policy);
  }

  @Test
  void outsideItsWindowARestartIsSkippedWhileOtherContainersChangesGoOn() {
    PassPlan plan = restartAndReload(OUTSIDE_WINDOW);

    ContainerDecision web = plan.decision("web").orElseThrow();
    assertThat(web.verdict()).isEqualTo(Verdict.SKIP);
    assertThat(web.skip()).contains(SkipReason.OUTSIDE_WINDOW);
    assertThat(web.step()).isEqualTo(UnitStep.keep(""));
    assertThat(plan.decision("db").orElseThrow().step().op()).isEqualTo(Op.RELOAD);
    assertThat(plan.decision("app").orElseThrow().step().op())
        .as("a dependent of a held container goes on, as one of a suspended container does")
        .isEqualTo(Op.SET_LIMITS);
    assertThat(restartAndReload(ALL).decision("web").orElseThrow().step().op())
        .isEqualTo(Op.RESTART);
  }

  @Test
  void aRemovalHeldByItsWindowIsSkippedAndNotCountedByTheMassRemovalGuard() {
    PassPolicy guarded = new PassPolicy(Map.of(), true, true, 0, false).withHeld(DISRUPTIVE_HELD);

    PassPlan plan = pass(List.of(), List.of("old"), Map.of(), Map.of(), guarded);

    assertThat(plan.isRefused()).isFalse();
    assertThat(plan.lines())
        .containsExactly(
            "remove old: skipped (outside its maintenance window until 2026-12-05T02:00:00Z: no"
                + " longer placed on this host; berth's files go, the state directory"
                + " var/lib/machines/old stays)");
    assertThat(plan.decision("old").orElseThrow().skip()).contains(SkipReason.OUTSIDE_WINDOW);
  }

  @Test
  void aWindowThatNeverOpensAgainSaysSo() {
    PassPolicy never =
        ALL.withHeld(new HeldActions(Map.of(ActionClass.RESTART, HeldActions.NEVER)));

    assertThat(file(ActionClass.RESTART, "changed Bind=").policy(never).decide().line())
        .isEqualTo(
            "restart web: skipped (outside its maintenance window, and none opens again:"
                + " changed Bind=)");
  }

  @Test
  void aSuspendedContainerSaysSuspendedEvenOutsideItsWindow() {
    PassPolicy both =
        new PassPolicy(Map.of("web", "suspended"), true, true, 10, false).withHeld(DISRUPTIVE_HELD);

    ContainerDecision decision = file(ActionClass.RESTART, "changed Bind=").policy(both).decide();

    assertThat(decision.skip()).contains(SkipReason.HELD);
  }
}
