package dev.berth.agent.daemon;

import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.config.AgentConfig;
import dev.berth.agent.source.ManifestSource;
import dev.berth.agent.source.SourceFailure;
import dev.berth.agent.source.SourceRevision;
import dev.berth.agent.source.SourceSettings;
import dev.berth.agent.status.AgentStatus;
import dev.berth.agent.status.ContainerStatus;
import dev.berth.reconciler.apply.FakeHost;
import dev.berth.reconciler.apply.ImperativeContainers;
import dev.berth.reconciler.apply.InProcessHostLock;
import dev.berth.reconciler.host.UnitStatus;
import dev.berth.reconciler.testing.ContainerYaml;
import dev.berth.reconciler.testing.InMemoryTree;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's loop against an in-memory host and source; the E2E tests run it for real. */
class AgentTest {
  @TempDir Path stateDir;
  private final FakeHost host = new FakeHost();
  private final ScriptedSource source = new ScriptedSource();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private Agent agent;

  /** A source that returns what the test last pushed, or fails as told. */
  static final class ScriptedSource implements ManifestSource {
    volatile SourceRevision next;
    volatile SourceFailure failure;

    void push(String commit, ContainerYaml... documents) {
      next =
          new SourceRevision(
              commit,
              InMemoryTree.of("m.yaml", ContainerYaml.docs((Object[]) documents)),
              Instant.now(),
              null);
    }

    @Override
    public SourceRevision poll() throws SourceFailure {
      if (failure != null) {
        throw failure;
      }
      return next;
    }

    @Override
    public void close() {}
  }

  /** Every metric call, as text. */
  static final class RecordingMetrics implements AgentMetrics {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    volatile List<ContainerStatus> containers = List.of();

    @Override
    public void passFinished(Duration duration, PassResult result) {
      calls.add("pass " + result.label());
    }

    @Override
    public void action(String action, String result) {
      calls.add("action " + action + " " + result);
    }

    @Override
    public void containers(List<ContainerStatus> containers, String revision) {
      this.containers = containers;
    }

    @Override
    public void fetch(String remote, String result) {
      calls.add("fetch " + result);
    }

    @Override
    public void suspended(boolean suspended) {
      calls.add("suspended " + suspended);
    }
  }

  /**
   * Host {@code h1} with these labels, a scripted source, a 1 min poll, state in {@code stateDir}.
   */
  static AgentConfig config(
      Map<String, String> labels, boolean selfHeal, int maxRemovals, Path stateDir) {
    SourceSettings settings =
        new SourceSettings(
            "file:///repo",
            new SourceSettings.Ref("main", null, null, null),
            "",
            Duration.ofSeconds(10),
            SourceSettings.Auth.NONE,
            null);
    return new AgentConfig(
        "h1",
        labels,
        settings,
        Duration.ofMinutes(1),
        new AgentConfig.Sync(true, selfHeal, maxRemovals, false, Duration.ofMinutes(10), false),
        new InetSocketAddress("127.0.0.1", 0),
        null,
        stateDir);
  }

  private Agent agent(boolean selfHeal, int maxRemovals) throws Exception {
    AgentConfig config = config(Map.of(), selfHeal, maxRemovals, stateDir);
    agent =
        FakeHostAgent.on(host)
            .metrics(metrics)
            .log(new PrintStream(logBytes, true, StandardCharsets.UTF_8))
            .create(config, source);
    return agent;
  }

  @AfterEach
  void close() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  private AgentStatus pass(String trigger) throws InterruptedException {
    int before = agent.status().passes().size();
    agent.triggerReconcile(trigger);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (agent.status().passes().size() == before && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return agent.status();
  }

  @Test
  void appliesTheRevisionAndReportsIt() throws Exception {
    agent(true, 5);
    source.push("c1", container("db"), container("web").spec("dependsOn: [db]"));

    AgentStatus status = pass("startup");

    assertThat(agent.health().ready()).isTrue();
    assertThat(status.lastAppliedRevision()).isEqualTo("c1");
    assertThat(status.containers())
        .extracting(ContainerStatus::name, ContainerStatus::phase)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("db", "Running"),
            org.assertj.core.groups.Tuple.tuple("web", "Running"));
    assertThat(status.containers().get(0).conditions().get(0).reason())
        .isEqualTo("ReconciliationSucceeded");
    assertThat(status.passes().get(0).result()).isEqualTo("success");
    assertThat(metrics.calls).contains("fetch success", "action create converged", "pass success");
    assertThat(logBytes.toString(StandardCharsets.UTF_8))
        .contains("msg=action container=db action=create revision=c1 result=converged");
  }

  @Test
  void anImperativeContainerIsNeverPrunedAndAGitClaimOnItsNameIsAConflict() throws Exception {
    agent(true, 5);
    source.push("c1", container("db"), container("api"));
    pass("startup");
    var created =
        new ImperativeContainers(
                host.runtime(),
                host,
                host,
                host,
                new InProcessHostLock(),
                dev.berth.reconciler.apply.ApplyListener.NONE,
                Clock.systemUTC())
            .create(
                "h1",
                dev.berth.reconciler.testing.Findings.loadFor(
                        InMemoryTree.of("w.yaml", container("web").yaml()), "h1")
                    .manifests()
                    .containers()
                    .get(0)
                    .value(),
                dev.berth.reconciler.render.SystemBuilds.NONE,
                "/w.yaml",
                java.util.Set.of(),
                message -> {});
    assertThat(created.converged()).isTrue();

    source.push("c2", container("db"), container("web").spec("capabilities: [CAP_NET_ADMIN]"));
    AgentStatus status = pass("poll");

    assertThat(host.files).doesNotContainKey("etc/systemd/nspawn/api.nspawn");
    assertThat(host.files.get("etc/systemd/nspawn/web.nspawn")).doesNotContain("CAP_NET_ADMIN");
    assertThat(host.calls).doesNotContain("stop systemd-nspawn@web.service");
    ContainerStatus web =
        status.containers().stream().filter(c -> c.name().equals("web")).findFirst().orElseThrow();
    assertThat(web.conditions().get(0).message())
        .startsWith("web is an imperative container (berth create); Git does not take it over");
    assertThat(status.passes().get(0).actions())
        .contains(
            "remove api: converged (disabled, stopped, files removed; state directory"
                + " /var/lib/machines/api kept)");
    assertThat(logBytes.toString(StandardCharsets.UTF_8))
        .contains("container=web action=conflict revision=c2 result=skipped");
  }

  @Test
  void anInvalidRevisionIsNotAppliedAndTheLastGoodKeepsRunning() throws Exception {
    agent(true, 5);
    source.push("c1", container("db"));
    pass("startup");

    source.push("c2", container("db").spec("colour: blue"), container("extra"));
    AgentStatus bad = pass("poll");

    assertThat(bad.lastAppliedRevision()).isEqualTo("c1");
    assertThat(bad.lastAttemptedRevision()).isEqualTo("c2");
    assertThat(bad.errors())
        .singleElement()
        .asString()
        .contains("m.yaml:12:3: unknown field \"colour\" in spec");
    assertThat(host.files).doesNotContainKey("etc/systemd/nspawn/extra.nspawn");
    assertThat(host.units.get("systemd-nspawn@db.service").isActive()).isTrue();

    source.push("c3", container("db"), container("extra"));
    AgentStatus fixed = pass("poll");
    assertThat(fixed.lastAppliedRevision()).isEqualTo("c3");
    assertThat(fixed.errors()).isEmpty();
    assertThat(host.files).containsKey("etc/systemd/nspawn/extra.nspawn");
  }

  @Test
  void aSourceFailureKeepsTheLastRevisionAndIsReported() throws Exception {
    agent(true, 5);
    source.push("c1", container("db"));
    pass("startup");
    source.failure =
        new SourceFailure(
            SourceFailure.Reason.UNREACHABLE, null, "cannot reach file:///repo", null);

    AgentStatus status = pass("poll");

    assertThat(status.source().lastErrorReason()).isEqualTo("SourceUnreachable");
    assertThat(status.source().fetchedRevision()).isEqualTo("c1");
    assertThat(status.lastAppliedRevision()).isEqualTo("c1");
    assertThat(metrics.calls).contains("fetch SourceUnreachable");
  }

  @Test
  void emptyingTheRepositoryIsARefusedMassPrune() throws Exception {
    agent(true, 5);
    source.push("c1", container("a"), container("b"));
    pass("startup");

    source.push("c2", container("other").onHosts("elsewhere"));
    AgentStatus status = pass("poll");

    assertThat(status.passes().get(0).result()).isEqualTo("refused");
    assertThat(status.errors())
        .singleElement()
        .asString()
        .startsWith("MassPruneRefused: the pass would remove every");
    assertThat(host.units.get("systemd-nspawn@a.service").isActive()).isTrue();
  }

  @Test
  void whatThePassesDidIsInTheEventsNewestLast() throws Exception {
    agent(true, 5);
    source.push("c1", container("db"));
    pass("startup");
    source.push("c2", container("db").spec("colour: blue"));
    pass("poll");
    host.units.put("systemd-nspawn@db.service", UnitStatus.INACTIVE);
    pass("host-event");

    assertThat(agent.events(0).events())
        .extracting(e -> e.type().label() + " " + e.container() + " " + e.revision())
        .containsExactly(
            "applied db c1", "applied null c1", "invalid null c2", "driftHealed db c1");
    assertThat(agent.events(0).events().get(2).message())
        .startsWith("InvalidManifests: 1 error, the first: ")
        .contains("unknown field \"colour\" in spec");
    assertThat(agent.events(3).events()).extracting(e -> e.sequence()).containsExactly(4L);
  }

  @Test
  void driftIsHealedAndReportedOrOnlyReported() throws Exception {
    agent(false, 5);
    source.push("c1", container("db"));
    pass("startup");
    host.units.put("systemd-nspawn@db.service", UnitStatus.INACTIVE);

    AgentStatus status = pass("host-event");

    ContainerStatus db = status.containers().get(0);
    assertThat(db.drifted()).isTrue();
    assertThat(db.conditions().get(0).reason()).isEqualTo("DriftDetected");
    assertThat(host.units.get("systemd-nspawn@db.service").isActive()).isFalse();
    assertThat(metrics.containers).extracting(ContainerStatus::drifted).containsExactly(true);
  }

  @Test
  void eachRevisionAPassAppliedIsRecordedButNotOneASuspendedAgentOnlyObserved() throws Exception {
    agent(true, 5);
    List<String> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();
    agent.onApplied(recorded::add);
    source.push("c1", container("db"));
    pass("startup");
    source.push("c2", container("db").spec("resources:", "  memoryMax: 1G"));
    pass("poll");
    agent.suspend(null);
    source.push("c3", container("db").spec("resources:", "  memoryMax: 2G"));
    Thread.sleep(50);
    pass("poll");

    assertThat(recorded).as("c3 only observed").containsExactly("c1", "c2");
  }

  @Test
  void suspendedChangesNothingUntilResumed() throws Exception {
    agent(true, 5);
    source.push("c1", container("db"));
    pass("startup");
    agent.suspend(null);
    source.push("c2", container("db").spec("resources:", "  memoryMax: 1G"));
    Thread.sleep(50);

    AgentStatus suspended = pass("poll");

    assertThat(suspended.suspended()).isTrue();
    assertThat(suspended.containers().get(0).phase()).isEqualTo("Suspended");
    assertThat(suspended.passes().get(0).result())
        .as("a suspended agent is not in sync: its passes are not successful")
        .isEqualTo("suspended");
    assertThat(suspended.lastAppliedRevision()).as("c2 was not applied").isEqualTo("c1");
    assertThat(host.files.get("etc/systemd/system/systemd-nspawn@db.service.d/50-berth.conf"))
        .doesNotContain("MemoryMax");
    agent.resume(null);
    Thread.sleep(50);
    AgentStatus resumed = pass("poll");
    assertThat(resumed.suspended()).isFalse();
    assertThat(host.files.get("etc/systemd/system/systemd-nspawn@db.service.d/50-berth.conf"))
        .contains("MemoryMax=1G");
    assertThat(metrics.calls).contains("suspended true", "suspended false");
  }

  @Test
  void aFailingContainerBacksOffWithoutHoldingTheOthers() throws Exception {
    agent(true, 5);
    host.failingStarts.add("systemd-nspawn@bad.service");
    source.push("c1", container("bad"), container("good"));

    AgentStatus first = pass("startup");
    assertThat(first.containers())
        .extracting(ContainerStatus::phase)
        .containsExactly("Failed", "Running");
    assertThat(agent.retries()).containsKey("bad");

    host.calls.clear();
    AgentStatus second = pass("poll");
    assertThat(host.calls).doesNotContain("start systemd-nspawn@bad.service");
    assertThat(second.containers().get(0).phase()).isEqualTo("Failed");
    assertThat(second.containers().get(0).conditions())
        .as("held by its backoff: reconciling, not stalled, not someone else's machine")
        .extracting(c -> c.type() + "=" + c.status() + " " + c.reason())
        .containsExactly("Ready=false BackingOff", "Reconciling=true BackingOff");
  }

  @Test
  void anErrorInAPassDoesNotStopTheLoop() throws Exception {
    List<Throwable> escaped = Collections.synchronizedList(new ArrayList<>());
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    try (PassLoop loop =
        new PassLoop(
            trigger -> {
              seen.add(trigger);
              if (trigger.equals("first")) {
                throw new OutOfMemoryError("Java heap space");
              }
            },
            escaped::add,
            Clock.systemUTC())) {
      loop.trigger("first");
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (loop.busy() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      loop.trigger("second");
      while (seen.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
    assertThat(seen).containsExactly("first", "second");
    assertThat(escaped).singleElement().isInstanceOf(OutOfMemoryError.class);
  }

  @Test
  void aPassThatRunsOutOfMemoryIsRecordedAsAnErrorAndTheNextOneRuns() throws Exception {
    agent(true, 5);
    source.push("c1", container("db"));
    pass("startup");
    host.observeFailure = new OutOfMemoryError("Java heap space");

    AgentStatus failed = pass("host-event");

    assertThat(failed.passes().get(0).result()).isEqualTo("error");
    assertThat(failed.errors())
        .containsExactly("pass failed: java.lang.OutOfMemoryError: Java heap space");
    AgentStatus next = pass("host-event");
    assertThat(next.passes().get(0).result()).isEqualTo("success");
    assertThat(agent.health().live()).isTrue();
  }

  @Test
  void triggersDuringAPassCoalesceIntoOneFollowUp() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CountDownLatch inPass = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (PassLoop loop =
        new PassLoop(
            trigger -> {
              seen.add(trigger);
              if (trigger.equals("first")) {
                inPass.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            e -> {},
            Clock.systemUTC())) {
      loop.trigger("first");
      inPass.await();
      for (int i = 0; i < 50; i++) {
        loop.trigger("webhook-" + i);
      }
      release.countDown();
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (loop.busy() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
    assertThat(seen).containsExactly("first", "webhook-0");
  }
}
