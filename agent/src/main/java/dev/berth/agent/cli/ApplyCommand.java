package dev.berth.agent.cli;

import dev.berth.agent.files.DirectoryFiles;
import dev.berth.agent.nix.NixSystems;
import dev.berth.reconciler.apply.ApplyReport;
import dev.berth.reconciler.apply.GitPass;
import dev.berth.reconciler.apply.Outcome;
import dev.berth.reconciler.host.RuntimeFailure;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.render.UnbuiltSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
      "2:invalid manifests or options (--system, --ca-file), no D-Bus, not root"
    })
final class ApplyCommand implements Callable<Integer>, ReadsManifests {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin LiveHostOptions hostOptions;
  @Mixin CaFileOption trust;

  @Parameters(paramLabel = "PATH", description = "The manifest directory.")
  Path path;

  @Mixin ParallelOption parallel;

  @Option(
      names = "--job-timeout",
      defaultValue = "300",
      paramLabel = "SECONDS",
      description = "How long to wait for one systemd job (default: ${DEFAULT-VALUE}).")
  long jobTimeoutSeconds;

  @Option(
      names = "--build-timeout",
      defaultValue = "1800",
      paramLabel = "SECONDS",
      description = "How long one NixOS system's build may take (default: ${DEFAULT-VALUE}).")
  long buildTimeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Host host = hostOptions.toHost();
    var builds = hostOptions.builds();
    trust.check();
    try (LiveHost.Connecting connecting =
        LiveHost.connecting(Duration.ofSeconds(jobTimeoutSeconds))) {
      return apply(host, builds, Repository.load(path, host), connecting);
    }
  }

  private int apply(
      Host host, SystemBuilds builds, LoadResult result, LiveHost.Connecting connecting)
      throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Repository.printFindings(path, result, err);
    if (!result.valid()) {
      err.println("invalid: " + Repository.summary(result) + "; nothing applied");
      return ExitCodes.ERROR;
    }
    var containers = result.manifests().containersOn(host);
    try (LiveHost live = connecting.join();
        NixSystems nix =
            NixSystems.onHost(LiveHost.STATE_DIR, Duration.ofSeconds(buildTimeoutSeconds))) {
      ActionPrinter printer = new ActionPrinter(out);
      // Builds run before the host lock is taken (they may take long); nothing is built for a
      // manifest that claims an imperative container's name.
      var imperative = LiveHost.gitShare("berth apply").imperative();
      SystemBuilds systems =
          systems(
              containers.stream().filter(c -> !imperative.contains(c.name())).toList(),
              builds,
              nix,
              out);
      ApplyReport report =
          live.gitPass("berth apply", parallel.containers, trust.file)
              .apply(
                  new GitPass.Desired(
                      host.name(), Optional.empty(), containers, result.manifests().zonesOn(host)),
                  nix.rooting(systems),
                  PassPolicy.APPLY_ALL,
                  printer);
      out.println(
          "host "
              + host.name()
              + ": "
              + report.count(Outcome.CONVERGED)
              + " converged, "
              + report.count(Outcome.FAILED)
              + " failed, "
              + (report.count(Outcome.ROLLED_BACK) == 0
                  ? ""
                  : report.count(Outcome.ROLLED_BACK) + " rolled back, ")
              + report.count(Outcome.BLOCKED)
              + " blocked, "
              + report.count(Outcome.SKIPPED)
              + " skipped");
      return report.converged() ? ExitCodes.OK : ExitCodes.FINDINGS;
    } catch (RuntimeFailure e) {
      throw new UserError(e.getMessage());
    }
  }

  /**
   * The systems of the nixos containers: those given with {@code --system}, the others built here
   * and now with the host's nix.
   */
  private SystemBuilds systems(
      List<Container> containers, SystemBuilds given, NixSystems nix, PrintWriter out)
      throws InterruptedException {
    List<Container> toBuild =
        containers.stream()
            .filter(c -> c.spec().image().isNixos() && given.systemOf(c.name()).isEmpty())
            .toList();
    if (toBuild.isEmpty()) {
      return given;
    }
    out.println("... building the NixOS systems of " + toBuild.size() + " container(s)");
    out.flush();
    SystemBuilds built = nix.awaitBuilds(toBuild, new DirectoryFiles(path));
    return new SystemBuilds() {
      @Override
      public Optional<String> systemOf(String container) {
        return given.systemOf(container).or(() -> built.systemOf(container));
      }

      @Override
      public UnbuiltSystem unbuilt(String container) {
        return built.unbuilt(container);
      }
    };
  }
}
