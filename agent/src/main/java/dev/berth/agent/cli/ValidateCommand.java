package dev.berth.agent.cli;

import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.load.LoadResult;
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

/** {@code berth validate PATH}: schema and semantic checks of a manifest tree. */
@Command(
    name = "validate",
    description = "Check a manifest tree: schema and semantic errors as FILE:LINE:COL: message.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:valid", "1:invalid manifests", "2:usage or I/O error"})
final class ValidateCommand implements Callable<Integer>, ReadsManifests {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Parameters(paramLabel = "PATH", description = "The manifest directory.")
  Path path;

  @Option(
      names = "--host",
      paramLabel = "NAME",
      description =
          "Check exactly what lands on this host (with --label), instead of every named host.")
  String host;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description = "A label of --host (repeatable).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    LoadResult result =
        Repository.load(
            path, host == null ? null : new dev.berth.reconciler.model.Host(host, labels));
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (common.output == CommonOptions.OutputFormat.json) {
      out.println(Json.write(json(result)));
    } else {
      Repository.printFindings(path, result, err);
      int containers = result.manifests().containers().size();
      int zones = result.manifests().zones().size();
      if (result.valid()) {
        out.println(
            "valid: "
                + containers
                + " container"
                + (containers == 1 ? "" : "s")
                + ", "
                + zones
                + " zone"
                + (zones == 1 ? "" : "s")
                + result.manifests().rollout().map(r -> ", rollout " + r.name()).orElse("")
                + " ("
                + Repository.summary(result)
                + ")");
      } else {
        err.println("invalid: " + Repository.summary(result));
      }
    }
    return result.valid() ? ExitCodes.OK : ExitCodes.FINDINGS;
  }

  private Map<String, Object> json(LoadResult result) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("valid", result.valid());
    out.put("errors", result.errorCount());
    out.put("warnings", result.warningCount());
    List<Map<String, Object>> diagnostics = result.diagnostics().stream().map(this::json).toList();
    out.put("diagnostics", diagnostics);
    return out;
  }

  private Map<String, Object> json(Diagnostic diagnostic) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("file", Repository.display(path, diagnostic.file()));
    out.put("line", diagnostic.line());
    out.put("column", diagnostic.column());
    out.put("severity", diagnostic.severity().name().toLowerCase(java.util.Locale.ROOT));
    out.put("message", diagnostic.message());
    return out;
  }
}
