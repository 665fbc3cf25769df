package dev.berth.agent.cli;

import dev.berth.agent.files.DirectoryFiles;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.pass.PassPlan;
import dev.berth.reconciler.plan.ActionClass;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth plan PATH --host NAME --root DIR}: what a pass would do, and why. */
@Command(
    name = "plan",
    description =
        "Print what a reconcile pass would do, one line per container: ACTION NAME: reason.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:no changes", "1:changes", "2:invalid manifests, usage or I/O error"})
final class PlanCommand implements Callable<Integer>, ReadsManifests {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin HostOptions hostOptions;

  @Parameters(paramLabel = "PATH", description = "The manifest directory.")
  Path path;

  @Mixin RootOption root;

  @Override
  public Integer call() throws Exception {
    Host host = hostOptions.toHost();
    var builds = hostOptions.builds();
    LoadResult result = Repository.load(path, host);
    var err = spec.commandLine().getErr();
    Repository.printFindings(path, result, err);
    if (!result.valid()) {
      err.println("invalid: " + Repository.summary(result) + "; no plan");
      return ExitCodes.ERROR;
    }
    PassPlan plan =
        PassPreview.of(
                host,
                Optional.empty(),
                result.manifests(),
                builds,
                new DirectoryFiles(path),
                root.root)
            .plan();
    var out = spec.commandLine().getOut();
    if (common.output == CommonOptions.OutputFormat.json) {
      out.println(Json.write(json(plan)));
    } else {
      print(plan, out);
    }
    return plan.hasChanges() ? ExitCodes.FINDINGS : ExitCodes.OK;
  }

  /** The plan as users read it: a line per container and zone, or that nothing is placed here. */
  static void print(PassPlan plan, java.io.PrintWriter out) {
    plan.lines().forEach(out::println);
    if (plan.containers().isEmpty() && plan.zones().isEmpty()) {
      out.println("nothing is placed on host " + plan.host());
    }
  }

  private static Map<String, Object> json(PassPlan plan) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("host", plan.host());
    out.put(
        "actions",
        plan.containers().stream()
            .map(
                decision -> {
                  Map<String, String> entry =
                      entry("container", decision.name(), decision.action(), decision.reason());
                  decision.outcome().ifPresent(ended -> entry.put("outcome", ended));
                  return entry;
                })
            .toList());
    out.put(
        "zones",
        plan.zones().stream()
            .map(zone -> entry("zone", zone.name(), zone.action(), zone.reason()))
            .toList());
    plan.refusal().ifPresent(why -> out.put("refused", why));
    return out;
  }

  /** One line of the plan as JSON: who ({@code key}), the action and the reason, in that order. */
  private static Map<String, String> entry(
      String key, String name, ActionClass action, String reason) {
    Map<String, String> entry = new LinkedHashMap<>();
    entry.put(key, name);
    entry.put("action", action.label());
    entry.put("reason", reason);
    return entry;
  }
}
