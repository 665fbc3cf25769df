package dev.berth.agent.cli;

import dev.berth.agent.files.RootHostFiles;
import dev.berth.agent.files.RootInstalledFiles;
import dev.berth.agent.nix.NixSystems;
import dev.berth.agent.source.SourceFiles;
import dev.berth.reconciler.apply.GitPass;
import dev.berth.reconciler.apply.HostPass;
import dev.berth.reconciler.apply.SystemSource;
import dev.berth.reconciler.host.RuntimeFailure;
import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.manifest.ManifestSet;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.pass.Observation;
import dev.berth.reconciler.pass.PassPlan;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.plan.InstalledFiles;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.SystemBuilds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a pass would do on a host for some manifests, and the files it decided that from: the one
 * way {@code berth plan} and {@code berth diff} ask. On the live host it is the Git pass of the
 * agent and {@code berth apply}, only not executed; under {@code root} (a render, a copy of a host)
 * the files there stand for the host, without units.
 */
record PassPreview(
    PassPlan plan,
    List<Container> containers,
    HostRendering rendering,
    InstalledFiles installed,
    Inventory inventory) {

  /**
   * Plans {@code manifests} for {@code host} from {@code revision} (empty for a directory), with
   * the systems of {@code builds} and, on the live host, those already built for {@code files}.
   */
  static PassPreview of(
      Host host,
      Optional<String> revision,
      ManifestSet manifests,
      SystemBuilds builds,
      SourceFiles files,
      Path root)
      throws IOException {
    if (root != null && !Files.isDirectory(root)) {
      throw new UserError("--root " + root + ": not a directory");
    }
    List<Container> containers = manifests.containersOn(host);
    var zones = manifests.zonesOn(host);
    if (root == null) {
      // On the live host, the systems its agent (or berth apply) built already count.
      var given = builds;
      var cached = NixSystems.cached(LiveHost.STATE_DIR, containers, files);
      builds = container -> given.systemOf(container).or(() -> cached.systemOf(container));
    }
    HostRendering rendering = new HostRenderer().render(containers, zones, builds);
    if (root != null) {
      var installed = new RootInstalledFiles(root);
      PassPlan plan =
          HostPass.planFiles(HostPass.Desired.of(host.name(), containers, rendering), installed);
      return new PassPreview(
          plan, containers, rendering, installed, Observation.ofFiles(installed).inventory());
    }
    var desired = new GitPass.Desired(host.name(), revision, containers, zones);
    try (LiveHost live = LiveHost.connect(Duration.ofMinutes(5), false)) {
      // A plan fetches no image, so it trusts no CA of its own.
      PassPlan plan =
          live.gitPass("berth plan", 1, null)
              .plan(desired, SystemSource.fixed(builds), PassPolicy.APPLY_ALL);
      return new PassPreview(
          plan,
          containers,
          rendering,
          new RootHostFiles(LiveHost.ROOT),
          LiveHost.gitShare("berth plan").inventory().load());
    } catch (RuntimeFailure e) {
      throw new UserError(e.getMessage());
    }
  }
}
