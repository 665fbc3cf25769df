package dev.berth.agent.cli;

import dev.berth.agent.files.DirectoryFiles;
import dev.berth.agent.files.RootInstalledFiles;
import dev.berth.agent.nix.NixSystems;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.plan.Plan;
import dev.berth.reconciler.plan.PlannedAction;
import dev.berth.reconciler.plan.Planner;
import dev.berth.reconciler.render.HostRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth plan PATH --host NAME --root DIR}: what a pass would do, and why. */
@Command(
    name = "plan",
    description =
        "Print what a reconcile pass would do, one line per container: ACTION NAME: reason.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:no changes", "1:changes", "2:invalid manifests, usage or I/O error"})
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin HostOptions hostOptions;

  @Parameters(paramLabel = "PATH", description = "The manifest directory.")
  Path path;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "Compare with the files under DIR (a render, a copy of a host) instead of the live"
              + " host, whose unit states then also count.")
  Path root;

  @Override
  public Integer call() throws Exception {
    Host host = hostOptions.toHost();
    var builds = hostOptions.builds();
    if (root != null && !Files.isDirectory(root)) {
      throw new UserError("--root " + root + ": not a directory");
    }
    LoadResult result = Repository.load(path, host);
    var err = spec.commandLine().getErr();
    Repository.printFindings(path, result, err);
    if (!result.valid()) {
      err.println("invalid: " + Repository.summary(result) + "; no plan");
      return ExitCodes.ERROR;
    }
    var containers = result.manifests().containersOn(host);
    if (root == null) {
      // On the live host, the systems its agent (or berth apply) built already count.
      var given = builds;
      var cached = NixSystems.cached(LiveHost.STATE_DIR, containers, new DirectoryFiles(path));
      builds = container -> given.systemOf(container).or(() -> cached.systemOf(container));
    }
    var rendering = new HostRenderer().render(containers, result.manifests().zonesOn(host), builds);
    Plan plan;
    if (root != null) {
      plan = new Planner().plan(host.name(), containers, rendering, new RootInstalledFiles(root));
    } else {
      try (LiveHost live = LiveHost.connect(java.time.Duration.ofMinutes(5), false)) {
        var share = live.gitShare("berth plan");
        var split =
            dev.berth.reconciler.apply.GitShare.split(share.imperative(), containers, rendering);
        List<PlannedAction> actions = new java.util.ArrayList<>();
        split
            .conflicts()
            .forEach(c -> actions.add(PlannedAction.container(c.name(), c.action(), c.message())));
        actions.addAll(
            live.applier(share, dev.berth.reconciler.apply.ApplyListener.NONE, 1)
                .preview(host.name(), split.containers(), split.rendering()));
        plan = new Plan(host.name(), actions);
      } catch (dev.berth.reconciler.host.RuntimeFailure e) {
        throw new UserError(e.getMessage());
      }
    }
    var out = spec.commandLine().getOut();
    if (common.output == CommonOptions.OutputFormat.json) {
      out.println(Json.write(json(plan)));
    } else {
      plan.actions().forEach(action -> out.println(action.line()));
      if (plan.actions().isEmpty()) {
        out.println("nothing is placed on host " + host.name());
      }
    }
    return plan.hasChanges() ? ExitCodes.FINDINGS : ExitCodes.OK;
  }

  private static Map<String, Object> json(Plan plan) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("host", plan.host());
    out.put("actions", entries(plan, PlannedAction.Subject.CONTAINER, "container"));
    out.put("zones", entries(plan, PlannedAction.Subject.ZONE, "zone"));
    return out;
  }

  private static List<Map<String, String>> entries(
      Plan plan, PlannedAction.Subject subject, String key) {
    return plan.actions().stream()
        .filter(action -> action.subject() == subject)
        .map(
            action -> {
              Map<String, String> entry = new LinkedHashMap<>();
              entry.put(key, action.name());
              entry.put("action", action.action().label());
              entry.put("reason", action.reason());
              return entry;
            })
        .toList();
  }
}
