package dev.berth.reconciler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.apply.HostPass;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.pass.PassPlan;
import dev.berth.reconciler.render.HostFile;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.testing.Findings;
import dev.berth.reconciler.testing.InMemoryTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Renders manifests for a host and plans them against an in-memory set of installed files. */
final class PlanFixture {
  static final Host HOST = new Host("h1", Map.of());

  /** Files "installed" on the host, by path relative to the root. */
  final Map<String, String> installed = new TreeMap<>();

  /** Renders {@code yaml} as it would be installed, and installs it. */
  PlanFixture install(String yaml, Map<String, String> systems) {
    for (HostFile file : render(yaml, systems).allFiles()) {
      installed.put(file.path(), file.content());
    }
    return this;
  }

  Plan plan(String yaml, Map<String, String> systems) {
    LoadResult result = load(yaml);
    var containers = result.manifests().containersOn(HOST);
    HostRendering rendering =
        new HostRenderer()
            .render(containers, result.manifests().zonesOn(HOST), SystemBuilds.of(systems));
    try {
      return new Planner().plan(HOST.name(), containers, rendering, files());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole pass's plan against the installed files, as {@code berth plan --root} makes it. */
  PassPlan planFiles(String yaml, Map<String, String> systems) throws IOException {
    var containers = load(yaml).manifests().containersOn(HOST);
    return HostPass.planFiles(
        HostPass.Desired.of(HOST.name(), containers, render(yaml, systems)), files());
  }

  static HostRendering render(String yaml, Map<String, String> systems) {
    LoadResult result = load(yaml);
    return new HostRenderer()
        .render(
            result.manifests().containersOn(HOST),
            result.manifests().zonesOn(HOST),
            SystemBuilds.of(systems));
  }

  static LoadResult load(String yaml) {
    LoadResult result =
        Findings.loadFor(InMemoryTree.of("m.yaml", yaml).put("web.nix", "{ }\n"), HOST.name());
    assertThat(result.diagnostics()).filteredOn(d -> d.isError()).isEmpty();
    return result;
  }

  InstalledFiles files() {
    return new InstalledFiles() {
      @Override
      public Optional<String> read(String path) {
        return Optional.ofNullable(installed.get(path));
      }

      @Override
      public List<String> list(String directory) {
        String prefix = directory + "/";
        return installed.keySet().stream()
            .filter(path -> path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0)
            .map(path -> path.substring(prefix.length()))
            .sorted()
            .toList();
      }
    };
  }
}
