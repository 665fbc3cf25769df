package dev.berth.reconciler.apply;

import static dev.berth.reconciler.testing.ContainerYaml.HOST;
import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.host.UnitStatus;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.RunState;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.render.ContainerFiles;
import dev.berth.reconciler.render.HostFile;
import dev.berth.reconciler.render.HostPaths;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.testing.ContainerYaml;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pass killed at each of its changes to the host, before the change and once the host has it: a
 * fresh process (only the host's files, units, machines and the inventory as saved survive) then
 * brings the host to what Git says in one pass, and a second pass changes nothing.
 */
class KilledPassTest {

  /**
   * The host converged to {@code before}; the pass that is killed applies {@code during}; Git says
   * {@code after} when the next process runs (usually the same).
   */
  record Scenario(
      String name,
      List<ContainerYaml> before,
      List<ContainerYaml> during,
      List<ContainerYaml> after) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static ContainerYaml restarted(String name) {
    return container(name).spec("bindMounts:", "  - hostPath: /srv");
  }

  private static ContainerYaml reloading(String name, String capability) {
    return container(name)
        .spec("activation:", "  strategy: reload", "capabilities: [" + capability + "]");
  }

  /** The container on a new tarball image. */
  private static ContainerYaml upgraded(String name) {
    return container(name).tarball("file:///j.tar", "d".repeat(64));
  }

  static Stream<Scenario> scenarios() {
    return Stream.of(
        new Scenario("create", List.of(), List.of(container("web")), List.of(container("web"))),
        new Scenario(
            "restart",
            List.of(container("web")),
            List.of(restarted("web")),
            List.of(restarted("web"))),
        new Scenario(
            "reload",
            List.of(reloading("web", "CAP_NET_ADMIN")),
            List.of(reloading("web", "CAP_SYS_TIME")),
            List.of(reloading("web", "CAP_SYS_TIME"))),
        new Scenario(
            "an image upgrade",
            List.of(container("web")),
            List.of(upgraded("web")),
            List.of(upgraded("web"))),
        new Scenario(
            "an image upgrade, then stopped in Git before the next pass",
            List.of(container("web")),
            List.of(upgraded("web")),
            List.of(upgraded("web").spec("state: stopped"))),
        new Scenario(
            "an image upgrade, then removed from Git before the next pass",
            List.of(container("web"), container("up")),
            List.of(container("web"), upgraded("up")),
            List.of(container("web"))),
        new Scenario(
            "removal",
            List.of(container("web"), container("old").spec("removePolicy: Delete")),
            List.of(container("web")),
            List.of(container("web"))),
        new Scenario(
            "mixed: one removed, one created, one restarted",
            List.of(container("old"), container("keep")),
            List.of(restarted("keep"), container("new").spec("dependsOn: [keep]")),
            List.of(restarted("keep"), container("new").spec("dependsOn: [keep]"))),
        new Scenario(
            "a create, then removed from Git before the next pass",
            List.of(container("web")),
            List.of(container("web"), container("orph")),
            List.of(container("web"))),
        new Scenario(
            "a restart, then removed from Git before the next pass",
            List.of(container("web"), container("orph")),
            List.of(container("web"), restarted("orph")),
            List.of(container("web"))),
        new Scenario(
            "a create, then stopped in Git before the next pass",
            List.of(),
            List.of(container("web")),
            List.of(container("web").spec("state: stopped"))),
        new Scenario(
            "a restart, then stopped in Git before the next pass",
            List.of(container("web")),
            List.of(restarted("web")),
            List.of(restarted("web").spec("state: stopped"))));
  }

  private record Desired(List<Container> containers, HostRendering rendering) {}

  private static Desired desired(List<ContainerYaml> documents) {
    if (documents.isEmpty()) {
      return new Desired(
          List.of(), new HostRenderer().render(List.of(), List.of(), SystemBuilds.NONE));
    }
    LoadResult loaded = ContainerYaml.load(documents.toArray());
    List<Container> containers = loaded.manifests().containersOn(HOST);
    return new Desired(
        containers,
        new HostRenderer().render(containers, loaded.manifests().zonesOn(HOST), SystemBuilds.NONE));
  }

  /** One pass in a fresh process: nothing of an earlier process's memory, only the host. */
  private static ApplyReport pass(DyingProcess process, Desired desired) throws IOException {
    return new HostPass(process.runtime(), process, process, process, 4)
        .apply(
            HostPass.Desired.of(HOST.name(), desired.containers(), desired.rendering()),
            PassPolicy.APPLY_ALL,
            ApplyListener.NONE);
  }

  private static FakeHost convergedTo(Desired before) throws IOException {
    FakeHost host = new FakeHost();
    if (!before.containers().isEmpty()) {
      assertThat(pass(DyingProcess.immortal(host), before).converged()).isTrue();
    }
    return host;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void aPassKilledAtAnyChangeIsFinishedByTheNext(Scenario scenario) throws IOException {
    Desired before = desired(scenario.before());
    Desired during = desired(scenario.during());
    Desired after = desired(scenario.after());
    DyingProcess whole = DyingProcess.immortal(convergedTo(before));
    assertThat(pass(whole, during).converged()).isTrue();
    List<String> steps = whole.changes();
    assertThat(steps).isNotEmpty();

    List<String> failures = new ArrayList<>();
    for (int n = 0; n < steps.size(); n++) {
      for (DyingProcess.Death death : DyingProcess.Death.values()) {
        FakeHost host = convergedTo(before);
        DyingProcess killed = new DyingProcess(host, n, death);
        try {
          pass(killed, during);
        } catch (Throwable e) {
          // The process died; what it left on the host is all there is.
        }
        assertThat(killed.died()).as("the pass reached change %d", n).isTrue();

        pass(DyingProcess.immortal(host), after);
        host.settle();
        List<String> wrong = differences(host, after, scenario);
        DyingProcess second = DyingProcess.immortal(host);
        pass(second, after);
        host.settle();
        if (!second.changes().isEmpty()) {
          wrong.add("a second pass changed " + second.changes());
        }
        if (!wrong.isEmpty()) {
          failures.add(
              "killed "
                  + death.name().toLowerCase()
                  + " change "
                  + n
                  + " ("
                  + steps.get(n)
                  + "): "
                  + String.join("; ", wrong));
        }
      }
    }
    assertThat(failures).as("changes of the pass: %s", steps).isEmpty();
  }

  /** Where the host differs from what Git says: what runs, its files, the inventory. */
  private static List<String> differences(FakeHost host, Desired git, Scenario scenario) {
    List<String> wrong = new ArrayList<>();
    Set<String> wanted = new TreeSet<>();
    for (Container container : git.containers()) {
      String name = container.name();
      wanted.add(name);
      String unit = HostPaths.unit(name);
      ContainerFiles files =
          git.rendering().containers().stream()
              .filter(c -> c.name().equals(name))
              .findFirst()
              .orElseThrow();
      for (HostFile file : files.files().values()) {
        if (!file.content().equals(host.files.get(file.path()))) {
          wrong.add(name + ": /" + file.path() + " is not what Git renders");
        }
      }
      boolean running = container.spec().state() == RunState.RUNNING;
      if (running != host.units.getOrDefault(unit, UnitStatus.INACTIVE).isActive()) {
        wrong.add(
            name
                + ": unit is "
                + host.units.get(unit)
                + ", Git says "
                + (running ? "running" : "stopped"));
      }
      if (running
          && !String.valueOf(host.files.get(HostPaths.nspawn(name)))
              .equals(String.valueOf(host.activated.get(unit)))) {
        wrong.add(name + ": runs an older .nspawn than its file (a restart or reload was lost)");
      }
      boolean enabled = container.spec().autoStart() && running;
      if (enabled != host.files.containsKey(Activator.wantsLink(name))) {
        wrong.add(name + ": enable link " + (enabled ? "missing" : "left"));
      }
      var tarball = container.spec().image().tarball();
      if (tarball != null && !tarball.sha256().equals(host.roots.get(HostPaths.stateDir(name)))) {
        wrong.add(name + ": its root holds " + host.roots.get(HostPaths.stateDir(name)));
      }
      for (String tree : List.of(HostPaths.stagedRoot(name), HostPaths.previousRoot(name))) {
        if (host.roots.containsKey(tree)) {
          wrong.add(name + ": /" + tree + " is left");
        }
      }
      Optional<InventoryEntry> entry = host.inventory.get(name);
      if (entry.isEmpty()) {
        wrong.add(name + ": not in the inventory");
      } else if (entry.get().pending() != null) {
        wrong.add(name + ": the inventory still owes a " + entry.get().pending());
      }
    }
    Set<String> gone = new TreeSet<>();
    for (List<ContainerYaml> documents : List.of(scenario.before(), scenario.during())) {
      if (!documents.isEmpty()) {
        desired(documents).containers().forEach(c -> gone.add(c.name()));
      }
    }
    gone.removeAll(wanted);
    for (String name : gone) {
      String unit = HostPaths.unit(name);
      if (host.units.getOrDefault(unit, UnitStatus.INACTIVE).isActive()
          || host.machines.contains(name)) {
        wrong.add(name + ": removed from Git, but runs (an orphan)");
      }
      for (String path :
          List.of(
              HostPaths.nspawn(name),
              HostPaths.dropIn(name),
              HostPaths.vethNetwork(name),
              Activator.wantsLink(name),
              HostPaths.stagedRoot(name),
              HostPaths.previousRoot(name))) {
        if (host.files.containsKey(path) || host.roots.containsKey(path)) {
          wrong.add(name + ": removed from Git, but /" + path + " is left");
        }
      }
      if (host.inventory.get(name).isPresent()) {
        wrong.add(name + ": removed from Git, but still in the inventory");
      }
    }
    return wrong;
  }
}
