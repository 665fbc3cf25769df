package dev.berth.reconciler.apply;

import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.host.UnitStatus;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.RemovePolicy;
import dev.berth.reconciler.pass.ContainerDecision;
import dev.berth.reconciler.pass.PassPlan;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.testing.ContainerYaml;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A property of the engine: for random host states and manifests, what {@code berth plan} would
 * print is exactly what {@code berth apply} then does — every container's action, every skip,
 * failure and block with its message, and the refusal of the whole pass.
 */
class PlanIsWhatApplyDoesTest {
  private static final String[] NAMES = {"a", "b", "c", "d", "e"};
  private static final UnitStatus[] STATES = {
    new UnitStatus("active", "running"),
    UnitStatus.INACTIVE,
    new UnitStatus("failed", "failed"),
    new UnitStatus("deactivating", "stop-sigterm"),
  };
  private static final ActionClass[] OWED = {
    null,
    null,
    ActionClass.RESTART,
    ActionClass.RELOAD,
    ActionClass.START,
    ActionClass.LIVE,
    ActionClass.REBUILD
  };

  private static final Map<ContainerDecision.Verdict, Outcome> OUTCOMES =
      Map.of(
          ContainerDecision.Verdict.SKIP, Outcome.SKIPPED,
          ContainerDecision.Verdict.BUILD_FIRST, Outcome.SKIPPED,
          ContainerDecision.Verdict.FAIL, Outcome.FAILED,
          ContainerDecision.Verdict.BLOCK, Outcome.BLOCKED);

  @Test
  void planAndApplyAgreeForRandomHostsAndManifests() throws IOException {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    Set<String> seen = new TreeSet<>();
    for (int round = 0; round < 300; round++) {
      FakeHost host = new FakeHost();
      HostPass pass = new HostPass(host.runtime(), host, host, host, 3);
      // A first pass puts some containers on the host, as berth created them.
      List<Container> before = manifests(random);
      pass.apply(desired(before), PassPolicy.APPLY_ALL, ApplyListener.NONE);
      disturb(host, random);
      List<Container> after = manifests(random);
      PassPolicy policy = policy(random, after);

      PassPlan plan = pass.plan(desired(after), policy);
      ApplyReport report = pass.apply(desired(after), policy, ApplyListener.NONE);

      String context = "seed " + seed + ", round " + round + ", plan " + plan.lines();
      assertThat(report.isRefused()).as(context).isEqualTo(plan.isRefused());
      if (plan.isRefused()) {
        assertThat(report.refusal()).as(context).isEqualTo(plan.refusal().orElseThrow());
        seen.add("refused");
        continue;
      }
      assertThat(report.results())
          .as(context)
          .extracting(ContainerResult::name)
          .containsExactlyElementsOf(
              plan.containers().stream().map(ContainerDecision::name).toList());
      for (int i = 0; i < plan.containers().size(); i++) {
        ContainerDecision decided = plan.containers().get(i);
        ContainerResult done = report.results().get(i);
        assertThat(done.action()).as(context).isEqualTo(decided.action());
        assertThat(done.drifted()).as(context).isEqualTo(decided.drifted());
        if (decided.acts()) {
          // The in-memory host never fails a job: what the plan does, converges.
          assertThat(done.outcome()).as(context + ": " + done.line()).isEqualTo(Outcome.CONVERGED);
        } else {
          assertThat(done.line())
              .as(context)
              .isEqualTo(
                  decided
                      .line()
                      .replace(
                          decided.name() + ": " + decided.reason(),
                          decided.name() + ": skipped (" + decided.reason() + ")"));
        }
      }
    }
  }

  /** Some of the names, each in one of a few shapes: a change of shape is a change of class. */
  private static List<Container> manifests(Random random) {
    List<Object> documents = new ArrayList<>();
    List<String> chosen = new ArrayList<>();
    for (String name : NAMES) {
      if (random.nextInt(3) > 0) {
        chosen.add(name);
      }
    }
    for (String name : chosen) {
      ContainerYaml yaml = container(name);
      switch (random.nextInt(7)) {
        case 0 -> yaml.spec("state: stopped");
        case 4 -> yaml.tarball("file:///new.tar", "e".repeat(64)); // an image upgrade
        case 1 -> yaml.spec("bindMounts:", "  - hostPath: /srv/" + name);
        case 2 -> yaml.spec("resources:", "  memoryMax: " + (1 + random.nextInt(3)) + "G");
        case 3 -> yaml.spec("activation:", "  strategy: none", "bindMounts:", "  - hostPath: /x");
        default -> {}
      }
      String other = NAMES[random.nextInt(NAMES.length)];
      if (chosen.contains(other) && other.compareTo(name) < 0 && random.nextBoolean()) {
        yaml.spec("dependsOn: [" + other + "]");
      }
      documents.add(yaml);
    }
    if (documents.isEmpty()) {
      return List.of();
    }
    LoadResult loaded = ContainerYaml.load(documents.toArray());
    return loaded.manifests().containersOn(ContainerYaml.HOST);
  }

  /** What happens behind berth's back between passes: stops, failures, lost files, owed work. */
  private static void disturb(FakeHost host, Random random) {
    for (String name : NAMES) {
      String unit = "systemd-nspawn@" + name + ".service";
      if (random.nextInt(3) == 0) {
        host.units.put(unit, STATES[random.nextInt(STATES.length)]);
      }
      if (random.nextInt(8) == 0) {
        host.machines.add(name);
      }
      if (random.nextInt(10) == 0) {
        host.files.remove("etc/systemd/nspawn/" + name + ".nspawn");
      }
      var entry = host.inventory.get(name);
      if (entry.isPresent() && random.nextInt(4) == 0) {
        ActionClass owed = OWED[random.nextInt(OWED.length)];
        host.inventory = host.inventory.with(entry.get().withPending(owed));
      }
      if (entry.isEmpty() && random.nextInt(10) == 0) {
        host.inventory =
            host.inventory.with(
                new InventoryEntry(name, RemovePolicy.DELETE, "var/lib/machines/" + name, null));
      }
    }
  }

  private static PassPolicy policy(Random random, List<Container> desired) {
    Map<String, String> frozen = new java.util.HashMap<>();
    for (Container container : desired) {
      if (random.nextInt(6) == 0) {
        frozen.put(container.name(), "suspended");
      }
    }
    return switch (random.nextInt(4)) {
      case 0 -> PassPolicy.APPLY_ALL;
      case 1 -> new PassPolicy(frozen, true, false, 1, false);
      case 2 -> new PassPolicy(frozen, false, true, 5, false);
      default -> PassPolicy.observeOnly(frozen);
    };
  }

  private static HostPass.Desired desired(List<Container> containers) {
    HostRendering rendering = new HostRenderer().render(containers, List.of(), SystemBuilds.NONE);
    return HostPass.Desired.of(ContainerYaml.HOST.name(), containers, rendering);
  }
}
