package dev.berth.agent.daemon;

import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.config.AgentConfig;
import dev.berth.agent.source.ManifestSource;
import dev.berth.agent.source.SourceRevision;
import dev.berth.agent.status.AgentStatus;
import dev.berth.agent.status.ContainerStatus;
import dev.berth.reconciler.apply.FakeHost;
import dev.berth.reconciler.host.UnitStatus;
import dev.berth.reconciler.rollout.FleetObserver;
import dev.berth.reconciler.rollout.FleetState;
import dev.berth.reconciler.rollout.FleetState.HostState;
import dev.berth.reconciler.testing.ContainerYaml;
import dev.berth.reconciler.testing.InMemoryTree;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's rollout step with the real engine on a fake host and a scripted fleet. */
class AgentRolloutTest {
  private static final String ROLLOUT =
      """
      apiVersion: berth.dev/v1alpha1
      kind: Rollout
      metadata:
        name: fleet
      spec:
        waves:
          - {name: canary, selector: {matchLabels: {wave: canary}}}
          - {name: rest, after: {wave: canary, soak: 0s}}
        gate: {prometheus: {url: "http://127.0.0.1:9", timeout: 1s}}
      """;

  @TempDir Path stateDir;
  private final FakeHost host = new FakeHost();
  private final Source source = new Source();
  private final Metrics metrics = new Metrics();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final AtomicInteger fleetReads = new AtomicInteger();
  private volatile FleetState fleet;
  private volatile String applied;
  private Agent agent;

  /** Returns the revision last pushed; holds every revision pushed, as a Git cache does. */
  static final class Source implements ManifestSource {
    final Map<String, SourceRevision> revisions = new ConcurrentHashMap<>();
    volatile SourceRevision next;

    void push(String commit, Object... documents) {
      next =
          new SourceRevision(
              commit,
              InMemoryTree.of("m.yaml", ContainerYaml.docs(documents)),
              Instant.now(),
              null);
      revisions.put(commit, next);
    }

    @Override
    public SourceRevision poll() {
      return next;
    }

    @Override
    public Optional<SourceRevision> cached(String commit) {
      return Optional.ofNullable(revisions.get(commit));
    }

    @Override
    public void close() {}
  }

  static final class Metrics implements AgentMetrics {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void rolloutHeld(Optional<String> reason) {
      calls.add("held " + reason.orElse("-"));
    }

    @Override
    public void wave(String wave) {
      calls.add("wave " + wave);
    }

    @Override
    public void appliedRevision(
        String revision, Optional<Instant> convergedSince, Map<String, Integer> containers) {
      calls.add(
          "applied "
              + revision
              + (convergedSince.isPresent() ? " converged" : "")
              + " ready="
              + containers.get("ready"));
    }

    @Override
    public void gateQuery(String result, Duration took) {
      calls.add("gate " + result);
    }
  }

  private Agent agent(Map<String, String> labels) throws Exception {
    AgentConfig config = AgentTest.config(labels, true, 5, stateDir);
    agent =
        FakeHostAgent.on(host)
            .metrics(metrics)
            .log(new PrintStream(logBytes, true, StandardCharsets.UTF_8))
            .create(config, source);
    agent.onApplied(revision -> applied = revision);
    agent.appliedFrom(() -> Optional.ofNullable(applied));
    agent.readFleetWith(
        gate -> {
          assertThat(gate.url().toString()).isEqualTo("http://127.0.0.1:9");
          return revision -> {
            fleetReads.incrementAndGet();
            if (fleet == null) {
              throw new FleetObserver.FleetUnavailable("connection refused");
            }
            return fleet;
          };
        });
    return agent;
  }

  @AfterEach
  void close() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  private AgentStatus pass() throws InterruptedException {
    int before = agent.status().passes().size();
    agent.triggerReconcile("poll");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (agent.status().passes().size() == before && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return agent.status();
  }

  private static FleetState canaryOn(String revision, int rolledBack) {
    return new FleetState(
        List.of(
            new HostState(
                "canary-1",
                Map.of("wave", "canary"),
                Optional.of(revision),
                rolledBack == 0 ? Optional.of(Instant.now().minusSeconds(60)) : Optional.empty(),
                0,
                rolledBack,
                true)),
        Instant.now());
  }

  private static List<String> names(AgentStatus status) {
    return status.containers().stream().map(ContainerStatus::name).toList();
  }

  @Test
  void aCanaryHostAppliesAtOnceWithoutReadingTheFleet() throws Exception {
    agent(Map.of("wave", "canary"));
    source.push("c1", ROLLOUT, container("web"));

    AgentStatus status = pass();

    assertThat(status.lastAppliedRevision()).isEqualTo("c1");
    assertThat(status.rollout().wave()).isEqualTo("canary");
    assertThat(status.rollout().held().status()).isFalse();
    assertThat(status.rollout().held().reason()).isEqualTo("GateOpen");
    assertThat(fleetReads).hasValue(0);
    assertThat(metrics.calls).contains("wave canary", "held -", "applied c1 converged ready=1");
  }

  @Test
  void aLaterWaveKeepsItsRevisionUntilThePreviousWaveRunsTheNewOne() throws Exception {
    agent(Map.of());
    fleet = canaryOn("c1", 0);
    source.push("c1", ROLLOUT, container("web"));
    assertThat(pass().lastAppliedRevision()).isEqualTo("c1");

    source.push("c2", ROLLOUT, container("web"), container("api"));
    AgentStatus held = pass();

    assertThat(held.passes().get(0).result()).isEqualTo("held");
    assertThat(names(held)).containsExactly("web");
    assertThat(host.machines).doesNotContain("api");
    assertThat(applied).isEqualTo("c1");
    assertThat(held.rollout().revision()).isEqualTo("c2");
    assertThat(held.rollout().held().status()).isTrue();
    assertThat(held.rollout().held().reason()).isEqualTo("WaitingForWave");
    assertThat(held.rollout().held().message()).contains("canary 0/1");
    assertThat(metrics.calls).contains("held WaitingForWave", "gate ok");
    assertThat(logBytes.toString(StandardCharsets.UTF_8))
        .contains("msg=\"rollout held\" revision=c2 wave=rest reason=WaitingForWave");
    assertThat(pass().rollout().held().reason()).isEqualTo("WaitingForWave");
    assertThat(logBytes.toString(StandardCharsets.UTF_8).split("msg=\"rollout held\"", -1))
        .as("the journal hears of a hold when it begins, not at every held pass")
        .hasSize(2);

    fleet = canaryOn("c2", 0);
    AgentStatus went = pass();

    assertThat(went.lastAppliedRevision()).isEqualTo("c2");
    assertThat(names(went)).containsExactly("api", "web");
    assertThat(went.rollout().held().status()).isFalse();
  }

  @Test
  void aCanaryThatRolledBackFailsTheGateAndAnUnreachableFleetHolds() throws Exception {
    agent(Map.of());
    fleet = canaryOn("c1", 0);
    source.push("c1", ROLLOUT, container("web"));
    pass();
    source.push("c2", ROLLOUT, container("web"), container("api"));

    fleet = canaryOn("c2", 1);
    AgentStatus failed = pass();
    assertThat(failed.rollout().held().reason()).isEqualTo("GateFailed");
    assertThat(failed.rollout().held().message()).contains("canary-1");

    fleet = null;
    AgentStatus unavailable = pass();
    assertThat(unavailable.rollout().held().reason()).isEqualTo("GateUnavailable");
    assertThat(unavailable.rollout().held().message()).contains("connection refused");
    assertThat(names(unavailable)).containsExactly("web");
    assertThat(applied).isEqualTo("c1");
    assertThat(metrics.calls).contains("gate unavailable", "held GateUnavailable");
  }

  @Test
  void aHeldHostStillHealsItsRevisionAfterARestart() throws Exception {
    agent(Map.of());
    fleet = canaryOn("c1", 0);
    source.push("c1", ROLLOUT, container("web"));
    pass();
    agent.close();
    source.push("c2", ROLLOUT, container("web"), container("api"));
    host.units.put("systemd-nspawn@web.service", UnitStatus.INACTIVE);

    agent(Map.of());
    AgentStatus status = pass();

    assertThat(status.rollout().held().reason()).isEqualTo("WaitingForWave");
    assertThat(status.lastAttemptedRevision()).isEqualTo("c1");
    assertThat(host.units.get("systemd-nspawn@web.service").isActive()).isTrue();
    assertThat(host.machines).doesNotContain("api");
  }

  @Test
  void aHaltHoldsEveryWaveAndARepositoryWithoutRolloutGoesAtOnce() throws Exception {
    agent(Map.of("wave", "canary"));
    source.push("c1", ROLLOUT, container("web"));
    pass();
    source.push("c2", ROLLOUT + "  halt: true\n", container("web"), container("api"));
    AgentStatus halted = pass();
    assertThat(halted.rollout().held().reason()).isEqualTo("Halted");
    assertThat(names(halted)).containsExactly("web");

    source.push("c3", container("web"), container("api"));
    AgentStatus plain = pass();
    assertThat(plain.rollout()).isNull();
    assertThat(plain.lastAppliedRevision()).isEqualTo("c3");
    assertThat(names(plain)).containsExactly("api", "web");
  }
}
