package dev.berth.reconciler.apply;

import static dev.berth.reconciler.testing.ContainerYaml.HOST;
import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.generation.Generation;
import dev.berth.reconciler.generation.GenerationOutcome;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.pass.SkipReason;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.testing.ContainerYaml;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Generations and the automatic rollback, on the in-memory host (docs/rollback.md). */
class RollbackTest {
  private static final String NSPAWN = "etc/systemd/nspawn/web.nspawn";
  private static final String UNIT = "systemd-nspawn@web.service";
  private static final String[] HEALTH = {"health:", "  command: [/bin/check]", "  timeoutSec: 1"};

  private final FakeHost host = new FakeHost();

  private ApplyReport apply(Object... documents) throws IOException {
    LoadResult loaded = ContainerYaml.load(documents);
    var containers = loaded.manifests().containersOn(HOST);
    var rendering =
        new dev.berth.reconciler.render.HostRenderer()
            .render(containers, loaded.manifests().zonesOn(HOST), SystemBuilds.NONE);
    host.calls.clear();
    return new HostPass(host.runtime(), host, host, host, host, 4)
        .apply(
            new HostPass.Desired(HOST.name(), containers, rendering, Map.of(), "rev-" + pass++),
            PassPolicy.APPLY_ALL,
            ApplyListener.NONE);
  }

  private int pass = 1;

  private static ContainerYaml web(String capability, String... more) {
    List<String> lines = new java.util.ArrayList<>(List.of(HEALTH));
    lines.add("capabilities: [" + capability + "]");
    lines.addAll(List.of(more));
    return container("web").spec(lines.toArray(String[]::new));
  }

  private List<String> outcomes() {
    return host.history("web").stream().map(g -> g.number() + " " + g.outcome().label()).toList();
  }

  @Test
  void aChangeThatCrashesTheContainerIsRolledBackAndNotRetriedUntilItChanges() throws IOException {
    apply(web("CAP_SYS_TIME"));
    String good = host.files.get(NSPAWN);
    assertThat(outcomes()).containsExactly("1 good");

    host.crashingWith.add("CAP_NET_ADMIN");
    ApplyReport broken = apply(web("CAP_NET_ADMIN"));

    ContainerResult result = broken.results().get(0);
    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message())
        .startsWith("restarted, but the unit is failed/failed")
        .contains("Container web exited with status 1.")
        .containsPattern("rolled back to generation 1 in \\d+\\.\\d s: started it")
        .endsWith("not retried until its files change");
    assertThat(host.files.get(NSPAWN))
        .as("the good generation's files, byte for byte")
        .isEqualTo(good);
    assertThat(host.activated.get(UNIT)).isEqualTo(good);
    assertThat(host.units.get(UNIT).isActive()).isTrue();
    assertThat(broken.converged()).isFalse();
    assertThat(outcomes()).containsExactly("1 good", "2 rolled-back");
    assertThat(host.inventory.get("web").orElseThrow().rolledBack().failedGeneration())
        .isEqualTo(2);
    assertThat(host.inventory.get("web").orElseThrow().pending()).isNull();

    ApplyReport again = apply(web("CAP_NET_ADMIN"));
    assertThat(again.results().get(0).outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(again.results().get(0).skip()).contains(SkipReason.ROLLED_BACK);
    assertThat(again.results().get(0).message())
        .contains("(revision rev-2)")
        .contains("it keeps generation 1 until its manifest changes");
    assertThat(host.calls).noneMatch(call -> call.contains(UNIT));

    ApplyReport fixed = apply(web("CAP_CHOWN"));
    assertThat(fixed.results().get(0).outcome()).isEqualTo(Outcome.CONVERGED);
    assertThat(host.inventory.get("web").orElseThrow().rolledBack()).isNull();
    assertThat(outcomes())
        .as("keep: 2, the last good among them")
        .containsExactly("2 rolled-back", "3 good");
    assertThat(host.calls).contains("release generation 1 of web");
  }

  @Test
  void withoutAProbeAFailedRestartStaysFailedAndIsRecordedSo() throws IOException {
    apply(container("web").spec("capabilities: [CAP_SYS_TIME]"));
    host.failingStarts.add(UNIT);
    host.units.put(UNIT, dev.berth.reconciler.host.UnitStatus.INACTIVE);

    ApplyReport report = apply(container("web").spec("capabilities: [CAP_NET_ADMIN]"));

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(host.files.get(NSPAWN)).contains("CAP_NET_ADMIN");
    assertThat(outcomes()).containsExactly("1 good", "2 failed");
  }

  @Test
  void rollbackEnabledFalseTurnsItOffDespiteAProbe() throws IOException {
    apply(web("CAP_SYS_TIME", "rollback: {enabled: false}"));
    host.crashingWith.add("CAP_NET_ADMIN");

    ApplyReport report = apply(web("CAP_NET_ADMIN", "rollback: {enabled: false}"));

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(host.files.get(NSPAWN)).contains("CAP_NET_ADMIN");
  }

  @Test
  void whenTheOldGenerationIsNotHealthyEitherTheContainerIsReportedFailed() throws IOException {
    String[] probe = {"health:", "  http: {port: 8080, path: /healthz}", "  timeoutSec: 1"};
    apply(container("web").spec(probe));
    host.crashingWith.clear();
    host.unreachable.add("web");

    ApplyReport report =
        apply(container("web").spec(probe[0], probe[1], probe[2], "capabilities: [CAP_CHOWN]"));

    ContainerResult result = report.results().get(0);
    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.FAILED);
    assertThat(result.message())
        .contains("not ready within 1 s (the HTTP probe: connection refused)")
        .contains("the rollback to generation 1 failed")
        .contains("not healthy either");
    assertThat(host.calls).contains("probe http web:8080/healthz");
  }

  @Test
  void anHttpProbeThatFailsOnlyForTheNewGenerationIsRolledBack() throws IOException {
    String[] probe = {"health:", "  http: {port: 8080}", "  timeoutSec: 1"};
    apply(container("web").spec(probe));
    host.crashingWith.add("CAP_NET_ADMIN");

    ApplyReport report =
        apply(container("web").spec(probe[0], probe[1], probe[2], "capabilities: [CAP_NET_ADMIN]"));

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(host.files.get(NSPAWN)).doesNotContain("CAP_NET_ADMIN");
  }

  @Test
  void dependentsOfARolledBackContainerKeepTheirFilesAndAreHeldUntilItChanges() throws IOException {
    apply(web("CAP_SYS_TIME"), container("api").spec("dependsOn: [web]"));
    String apiBefore = host.files.get("etc/systemd/nspawn/api.nspawn");
    host.crashingWith.add("CAP_NET_ADMIN");

    ApplyReport report =
        apply(
            web("CAP_NET_ADMIN"),
            container("api").spec("dependsOn: [web]", "capabilities: [CAP_CHOWN]"));

    assertThat(report.results())
        .extracting(ContainerResult::name, ContainerResult::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("api", Outcome.BLOCKED),
            org.assertj.core.groups.Tuple.tuple("web", Outcome.ROLLED_BACK));
    assertThat(host.files.get("etc/systemd/nspawn/api.nspawn")).isEqualTo(apiBefore);
    assertThat(host.inventory.get("api").orElseThrow().pending()).isNull();

    ApplyReport next =
        apply(
            web("CAP_NET_ADMIN"),
            container("api").spec("dependsOn: [web]", "capabilities: [CAP_CHOWN]"));
    assertThat(next.results())
        .extracting(ContainerResult::line)
        .containsExactly(
            "restart api: blocked (dependency web did not converge)", next.results().get(1).line());
    assertThat(next.results().get(1).skip()).contains(SkipReason.ROLLED_BACK);
    assertThat(host.files.get("etc/systemd/nspawn/api.nspawn")).isEqualTo(apiBefore);
  }

  @Test
  void withSnapshotTheStateIsSnapshottedBeforeTheRestartAndRestoredOnRollback() throws IOException {
    apply(web("CAP_SYS_TIME", "rollback: {snapshot: true}"));
    host.images.put("web", new java.util.TreeMap<>(Map.of("data/good", "written by gen 1")));
    host.crashingWith.add("CAP_NET_ADMIN");

    ApplyReport report = apply(web("CAP_NET_ADMIN", "rollback: {snapshot: true}"));

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(host.calls)
        .containsSubsequence(
            "stop " + UNIT,
            "snapshot web as web.berth-before-g2",
            "restart " + UNIT,
            "restore web from web.berth-before-g2",
            "start " + UNIT,
            "release web.berth-before-g2");
    assertThat(host.images).containsOnlyKeys("web");
    assertThat(report.results().get(0).message())
        .contains("with its state from web.berth-before-g2");
    Optional<Generation> failed =
        host.history("web").stream().filter(g -> g.number() == 2).findFirst();
    assertThat(failed.orElseThrow().snapshot()).isEqualTo("web.berth-before-g2");
  }

  @Test
  void aGoodActivationReleasesItsSnapshot() throws IOException {
    apply(web("CAP_SYS_TIME", "rollback: {snapshot: true}"));

    ApplyReport report = apply(web("CAP_CHOWN", "rollback: {snapshot: true}"));

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.CONVERGED);
    assertThat(host.calls)
        .containsSubsequence(
            "snapshot web as web.berth-before-g2",
            "restart " + UNIT,
            "release web.berth-before-g2");
    assertThat(host.history("web").get(1).outcome()).isEqualTo(GenerationOutcome.GOOD);
  }

  @Test
  void aSnapshotThatWouldNotFitRefusesTheChangeAndTheOldGenerationRunsAgain() throws IOException {
    apply(web("CAP_SYS_TIME", "rollback: {snapshot: true}"));
    String good = host.files.get(NSPAWN);
    host.fullDisks.add("web");

    ApplyReport report = apply(web("CAP_CHOWN", "rollback: {snapshot: true}"));

    ContainerResult result = report.results().get(0);
    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message()).startsWith("the snapshot of web would not fit");
    assertThat(host.calls).doesNotContain("restart " + UNIT);
    assertThat(host.files.get(NSPAWN)).isEqualTo(good);
    assertThat(host.units.get(UNIT).isActive()).isTrue();
  }

  @Test
  void aContainerFromBeforeGenerationsGetsItsInstalledFilesAsTheFirstGeneration()
      throws IOException {
    apply(web("CAP_SYS_TIME"));
    String good = host.files.get(NSPAWN);
    host.generations.clear(); // a host whose berth kept no generations yet
    host.crashingWith.add("CAP_NET_ADMIN");

    ApplyReport report = apply(web("CAP_NET_ADMIN"));

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(host.files.get(NSPAWN)).isEqualTo(good);
    assertThat(host.history("web").get(0).message())
        .isEqualTo("the files berth found installed when it first recorded generations");
  }

  @Test
  void anImageUpgradeThatCrashesAtBootSwapsThePreviousRootBack() throws IOException {
    String a = "a".repeat(64);
    String b = "b".repeat(64);
    apply(container("web").tarball("file:///images/a.tar", a).spec(HEALTH));
    host.crashingWith.add("sha256:" + b);

    ApplyReport report = apply(container("web").tarball("file:///images/b.tar", b).spec(HEALTH));

    ContainerResult result = report.results().get(0);
    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("started it on its previous root");
    assertThat(host.calls)
        .containsSubsequence("swap-in web", "start " + UNIT, "swap-back web", "start " + UNIT);
    assertThat(host.roots).containsEntry(dev.berth.reconciler.render.HostPaths.stateDir("web"), a);
    assertThat(host.files.get(dev.berth.reconciler.render.HostPaths.dropIn("web")))
        .contains("sha256:" + a);
    assertThat(host.units.get(UNIT).isActive()).isTrue();
  }

  @Test
  void theGenerationRolledBackToIsCheckedByItsOwnHealth() throws IOException {
    apply(web("CAP_SYS_TIME"));
    host.unreachable.add("web");

    ApplyReport report =
        apply(
            container("web")
                .spec(
                    "health:",
                    "  http: {port: 8080}",
                    "  timeoutSec: 1",
                    "capabilities: [CAP_CHOWN]"));

    ContainerResult result = report.results().get(0);
    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("(the HTTP probe: connection refused)");
    assertThat(host.calls).containsSubsequence("probe http web:8080/", "exec web /bin/check");
  }

  @Test
  void aContainerThatDiesWithinStabilizeSecIsRolledBack() throws IOException {
    apply(web("CAP_SYS_TIME"));
    host.answersBeforeDown.put("web", 2);

    ApplyReport report =
        apply(
            container("web")
                .spec(
                    "health:",
                    "  tcp: {port: 5432}",
                    "  timeoutSec: 5",
                    "  stabilizeSec: 2",
                    "capabilities: [CAP_CHOWN]"));

    ContainerResult result = report.results().get(0);
    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message())
        .contains(
            "healthy, then not within its stabilizeSec of 2 s: the TCP probe: connection refused");
  }
}
