package dev.berth.reconciler.apply;

import dev.berth.reconciler.generation.GenerationStore;
import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.pass.PassPlan;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.SystemBuilds;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A whole pass of the manifests from Git (or a directory) on this host: the one entry point of the
 * agent, {@code berth apply} and {@code berth plan}. It takes the host lock, leaves the imperative
 * containers out (a manifest claiming one's name is a conflict), gets the NixOS systems, renders
 * (again only when something changed), plans with the pass planner, and, unless only planning,
 * executes the plan and records what converged. {@code plan} stops before executing.
 */
public final class GitPass {
  private final GitShare share;
  private final HostPass host;
  private final Clock clock;
  private final RenderCache renders = new RenderCache();
  private Owned owned;

  /**
   * A pass over Git's view of the host: it sees neither the imperative containers (their files are
   * hidden, and so are they in the inventory) nor anything else not Git's.
   */
  public GitPass(
      GitShare share,
      HostRuntime runtime,
      HostFiles files,
      ImageInstaller images,
      GenerationStore generations,
      int parallelism,
      Clock clock) {
    this.share = share;
    this.host =
        new HostPass(
            runtime,
            OwnedHostFiles.forGit(files, share::imperative),
            images,
            generations,
            share.inventory(),
            parallelism);
    this.clock = clock;
  }

  /**
   * The manifests' containers and zones placed on {@code host}, and the revision they come from
   * (none for a directory).
   */
  public record Desired(
      String host, Optional<String> revision, List<Container> containers, List<Zone> zones) {}

  /**
   * The desired containers that are Git's, kept while neither they nor the imperative set change.
   */
  private record Owned(List<Container> from, Set<String> imperative, List<Container> containers) {}

  /** What the pass would do now. Takes no lock: it changes nothing. */
  public PassPlan plan(Desired desired, SystemSource systems, PassPolicy policy)
      throws IOException {
    Prepared prepared = prepare(desired, systems);
    return host.plan(prepared.desired(), policy);
  }

  /** Plans and executes one pass; {@code listener} hears each action as it happens. */
  public ApplyReport apply(
      Desired desired, SystemSource systems, PassPolicy policy, ApplyListener listener)
      throws IOException {
    try (HostLock.Held held = share.lock(listener::waiting)) {
      Prepared prepared = prepare(desired, systems);
      ApplyReport report = host.apply(prepared.desired(), policy, listener);
      systems.afterPass(prepared.desired().containers(), report, prepared.systems());
      if (!report.isRefused() && desired.revision().isPresent()) {
        share.recordConverged(
            desired.revision().get(),
            desired.containers().stream()
                .collect(Collectors.toMap(Container::name, Function.identity())),
            report.results(),
            clock.instant());
      }
      return report;
    }
  }

  private record Prepared(HostPass.Desired desired, SystemBuilds systems) {}

  private Prepared prepare(Desired desired, SystemSource systems) throws IOException {
    Set<String> imperative = share.imperative();
    List<Container> containers = owned(desired.containers(), imperative);
    SystemBuilds builds = systems.forPass(containers);
    HostRendering rendering = renders.render(containers, desired.zones(), builds);
    Map<String, String> claimed = GitShare.claims(imperative, desired.containers());
    return new Prepared(
        new HostPass.Desired(
            desired.host(), containers, rendering, claimed, desired.revision().orElse("")),
        builds);
  }

  private synchronized List<Container> owned(List<Container> desired, Set<String> imperative) {
    Owned last = owned;
    if (last != null && last.from() == desired && last.imperative().equals(imperative)) {
      return last.containers();
    }
    List<Container> containers =
        desired.stream().filter(c -> !imperative.contains(c.name())).toList();
    owned = new Owned(desired, Set.copyOf(imperative), containers);
    return containers;
  }
}
