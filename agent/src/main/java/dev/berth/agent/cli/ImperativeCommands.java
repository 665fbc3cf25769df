package dev.berth.agent.cli;

import dev.berth.agent.files.DirectoryFiles;
import dev.berth.agent.http.AgentClientException;
import dev.berth.agent.nix.NixSystems;
import dev.berth.agent.status.ContainerStatus;
import dev.berth.reconciler.apply.ApplyReport;
import dev.berth.reconciler.apply.ImperativeContainers;
import dev.berth.reconciler.apply.Outcome;
import dev.berth.reconciler.apply.OwnershipRefusal;
import dev.berth.reconciler.host.RuntimeFailure;
import dev.berth.reconciler.model.Activation;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.render.SystemBuilds;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth create|update|remove NAME}: RFC 0108's imperative containers ({@code nixos-nspawn
 * create/update}), applied at once on this host and recorded as imperative, so that the Git agent
 * leaves them alone. Lifecycle beyond that stays with machinectl.
 */
final class ImperativeCommands {
  private ImperativeCommands() {}

  /** What every imperative command shares: the job timeout and how it reports. */
  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;

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
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      boolean json = common.output == CommonOptions.OutputFormat.json;
      // In JSON mode stdout carries the one result document; progress goes to stderr.
      ActionPrinter printer = new ActionPrinter(json ? err : out);
      String host = LiveHost.hostname();
      if (!check(host)) {
        return ExitCodes.ERROR;
      }
      try (LiveHost live = LiveHost.connect(Duration.ofSeconds(jobTimeoutSeconds));
          NixSystems nix =
              NixSystems.onHost(LiveHost.STATE_DIR, Duration.ofSeconds(buildTimeoutSeconds))) {
        ImperativeContainers engine = live.imperative("berth " + spec.name(), printer, caFile());
        ApplyReport report = run(engine, host, nix, printer);
        if (json) {
          out.println(Json.write(json(report)));
        }
        boolean done =
            !report.results().isEmpty()
                && report.results().stream().allMatch(r -> r.outcome() == Outcome.CONVERGED);
        return done ? ExitCodes.OK : ExitCodes.FINDINGS;
      } catch (OwnershipRefusal | RuntimeFailure e) {
        throw new UserError(e.getMessage());
      }
    }

    /**
     * Checks the input before anything connects or changes; false after printing why (the
     * manifest's findings).
     */
    boolean check(String host) throws Exception {
      return true;
    }

    /** The PEM file of CAs its images trust besides the JVM's, or null: remove fetches none. */
    Path caFile() {
      return null;
    }

    abstract ApplyReport run(
        ImperativeContainers engine, String host, NixSystems nix, ActionPrinter printer)
        throws Exception;

    /**
     * The NixOS system of a {@code nixos} container, built before the host lock is taken (a build
     * may take long): from the manifest's directory, which is all that nix sees.
     */
    static SystemBuilds systems(
        Container container, Path file, NixSystems nix, ActionPrinter printer)
        throws InterruptedException {
      if (!container.spec().image().isNixos()) {
        return SystemBuilds.NONE;
      }
      Path directory = file.toAbsolutePath().normalize().getParent();
      printer.note(
          "building the NixOS system of "
              + container.name()
              + " from "
              + directory.resolve(container.spec().image().nixos().file()));
      return nix.awaitBuilds(List.of(container), new DirectoryFiles(directory));
    }

    Container manifest(Path file, String name, String host) throws Exception {
      return ImperativeManifest.load(
          file,
          name,
          new dev.berth.reconciler.model.Host(host, Map.of()),
          spec.commandLine().getErr());
    }

    private static Map<String, Object> json(ApplyReport report) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("host", report.host());
      out.put(
          "results",
          report.results().stream()
              .map(
                  r -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("container", r.name());
                    entry.put("action", r.action().label());
                    entry.put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
                    entry.put("message", r.message());
                    return entry;
                  })
              .toList());
      return out;
    }
  }

  /** A command that applies one Container manifest: create and update. */
  abstract static class FromManifest extends Base implements ReadsManifests {
    @Parameters(paramLabel = "NAME", description = "The container (its metadata.name).")
    String name;

    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "FILE",
        description = "The Container manifest.")
    Path file;

    @Mixin CaFileOption trust;

    Container container;

    @Override
    boolean check(String host) throws Exception {
      trust.check();
      container = manifest(file, name, host);
      return container != null;
    }

    @Override
    Path caFile() {
      return trust.file;
    }
  }

  @Command(
      name = "create",
      description =
          "Create a container on this host from one Container manifest and start it; recorded as"
              + " imperative, so the Git agent never prunes or changes it.",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:created",
        "1:the container failed or was left alone",
        "2:invalid manifest or options (--ca-file), the name is taken (Git, another machine), no D-Bus,"
            + " not root"
      })
  static final class Create extends FromManifest {
    /** A running agent to ask which names Git places here; skipped when none answers. */
    @picocli.CommandLine.Mixin ClientCommands.Endpoint agent;

    @Override
    ApplyReport run(ImperativeContainers engine, String host, NixSystems nix, ActionPrinter printer)
        throws Exception {
      SystemBuilds systems = systems(container, file, nix, printer);
      ApplyReport report =
          engine.create(
              host,
              container,
              systems,
              file.toAbsolutePath().toString(),
              gitNames(),
              printer::note);
      nix.afterPass(List.of(container), report, systems);
      return report;
    }

    /** The names the running agent manages from Git, if an agent answers. */
    private Set<String> gitNames() {
      try {
        return agent.client().status().containers().stream()
            .map(ContainerStatus::name)
            .collect(Collectors.toSet());
      } catch (AgentClientException e) {
        return Set.of();
      }
    }
  }

  /** At most one of --reload and --restart. */
  static final class Forced {
    @Option(
        names = "--reload",
        description = "Activate a change by reload, whatever RFC 0108's dynamic rule says.")
    boolean reload;

    @Option(
        names = "--restart",
        description = "Activate a change by restart, whatever RFC 0108's dynamic rule says.")
    boolean restart;

    Activation.Strategy strategy() {
      return reload ? Activation.Strategy.RELOAD : Activation.Strategy.RESTART;
    }
  }

  @Command(
      name = "update",
      description =
          "Apply a changed manifest to an imperative container: reload or restart by RFC 0108's"
              + " rule, or as --reload/--restart force.",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:converged",
        "1:the container failed",
        "2:invalid manifest or options (--ca-file), not imperative (Git-managed or unknown), no D-Bus,"
            + " not root"
      })
  static final class Update extends FromManifest {
    @ArgGroup(exclusive = true)
    Forced forced;

    @Override
    ApplyReport run(ImperativeContainers engine, String host, NixSystems nix, ActionPrinter printer)
        throws Exception {
      SystemBuilds systems = systems(container, file, nix, printer);
      ApplyReport report =
          engine.update(
              host,
              container,
              systems,
              file.toAbsolutePath().toString(),
              forced == null ? null : forced.strategy(),
              printer::note);
      nix.afterPass(List.of(container), report, systems);
      boolean unchanged = report.results().stream().allMatch(r -> r.action() == ActionClass.NONE);
      if (forced != null && unchanged) {
        printer.note(
            "nothing changed, so there was nothing to "
                + forced.strategy().name().toLowerCase(java.util.Locale.ROOT)
                + "; machinectl reboot "
                + name
                + " restarts a container as it is");
      }
      return report;
    }
  }

  @Command(
      name = "remove",
      description =
          "Stop an imperative container, disable it and remove berth's files; its state directory"
              + " stays unless --delete-state.",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:removed",
        "1:stopping or removing failed",
        "2:not imperative (Git-managed or unknown), no D-Bus, not root"
      })
  static final class Remove extends Base {
    @Parameters(paramLabel = "NAME", description = "The container.")
    String name;

    @Option(
        names = "--delete-state",
        description = "Also delete its state directory /var/lib/machines/NAME (never by default).")
    boolean deleteState;

    @Override
    ApplyReport run(ImperativeContainers engine, String host, NixSystems nix, ActionPrinter printer)
        throws Exception {
      ApplyReport report = engine.remove(host, name, deleteState, printer::note);
      nix.afterPass(List.of(), report, SystemBuilds.NONE); // a removed container's GC roots go
      return report;
    }
  }
}
