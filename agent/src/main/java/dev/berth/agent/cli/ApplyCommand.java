package dev.berth.agent.cli;

import dev.berth.reconciler.apply.ApplyListener;
import dev.berth.reconciler.apply.ApplyReport;
import dev.berth.reconciler.apply.ContainerResult;
import dev.berth.reconciler.apply.GitShare;
import dev.berth.reconciler.apply.Outcome;
import dev.berth.reconciler.apply.RuntimeFailure;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.plan.PlannedAction;
import dev.berth.reconciler.render.HostRenderer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth apply PATH}: one reconcile pass on the live host. */
@Command(
    name = "apply",
    description =
        "Run one reconcile pass on this host: write files, create, reload, restart, stop or"
            + " remove containers, printing each action and its result.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:converged",
      "1:some container failed",
      "2:invalid manifests, no D-Bus, not root"
    })
final class ApplyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin LiveHostOptions hostOptions;

  @Parameters(paramLabel = "PATH", description = "The manifest directory.")
  Path path;

  @Option(
      names = "--parallel",
      defaultValue = "8",
      paramLabel = "N",
      description = "Containers activated at once (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(
      names = "--job-timeout",
      defaultValue = "300",
      paramLabel = "SECONDS",
      description = "How long to wait for one systemd job (default: ${DEFAULT-VALUE}).")
  long jobTimeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Host host = hostOptions.toHost();
    var builds = hostOptions.builds();
    LoadResult result = Repository.load(path, host);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Repository.printFindings(path, result, err);
    if (!result.valid()) {
      err.println("invalid: " + Repository.summary(result) + "; nothing applied");
      return ExitCodes.ERROR;
    }
    var containers = result.manifests().containersOn(host);
    var rendering = new HostRenderer().render(containers, result.manifests().zonesOn(host), builds);
    try (LiveHost live = LiveHost.connect(Duration.ofSeconds(jobTimeoutSeconds))) {
      GitShare share = live.gitShare("berth apply");
      Printer printer = new Printer(out);
      ApplyReport report;
      try (var held = share.lock(printer::note)) {
        GitShare.Split split = GitShare.split(share.imperative(), containers, rendering);
        split.conflicts().forEach(printer::finished);
        report =
            live.applier(share, printer, parallel)
                .apply(host.name(), split.containers(), split.rendering());
      }
      out.println(
          "host "
              + host.name()
              + ": "
              + report.count(Outcome.CONVERGED)
              + " converged, "
              + report.count(Outcome.FAILED)
              + " failed, "
              + report.count(Outcome.BLOCKED)
              + " blocked, "
              + report.count(Outcome.SKIPPED)
              + " skipped");
      return report.converged() ? ExitCodes.OK : ExitCodes.FINDINGS;
    } catch (RuntimeFailure e) {
      throw new UserError(e.getMessage());
    }
  }

  /** Prints each action as it starts and its result as it ends. */
  private record Printer(PrintWriter out) implements ApplyListener {
    @Override
    public void starting(PlannedAction action) {
      synchronized (out) {
        out.println("... " + action.line());
        out.flush();
      }
    }

    @Override
    public void finished(ContainerResult result) {
      synchronized (out) {
        out.println(result.line());
        out.flush();
      }
    }

    @Override
    public void note(String message) {
      synchronized (out) {
        out.println("note: " + message);
      }
    }
  }
}
