package dev.berth.agent.cli;

import dev.berth.agent.config.AgentConfig;
import dev.berth.agent.config.AgentConfigLoader;
import dev.berth.agent.config.ConfigError;
import dev.berth.agent.files.DirectoryFiles;
import dev.berth.agent.source.GitSource;
import dev.berth.agent.source.SourceFailure;
import dev.berth.agent.source.SourceFiles;
import dev.berth.agent.source.SourceRevision;
import dev.berth.reconciler.diff.FileChange;
import dev.berth.reconciler.diff.HostDiff;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Host;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth diff [--revision REF] [PATH]}: every file a pass would change on the host as a
 * unified diff, then the plan's lines; from a directory or from the agent's Git cache.
 */
@Command(
    name = "diff",
    description =
        "Show every file a pass would change on this host as a unified diff (--- host/PATH, +++"
            + " git/PATH), then the plan's line per container, from a manifest directory or from"
            + " the agent's Git cache.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:no changes",
      "1:changes",
      "2:invalid manifests, an unknown revision, no Git cache, usage or I/O error"
    })
final class DiffCommand implements Callable<Integer>, ReadsManifests {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin LiveHostOptions hostOptions;

  @Parameters(
      arity = "0..1",
      paramLabel = "PATH",
      description = "A manifest directory; without it, the agent's Git cache.")
  Path path;

  @Option(
      names = "--revision",
      paramLabel = "REF",
      description =
          "A branch, tag or commit in the agent's Git cache (default: what the agent's"
              + " source.ref names there, the newest it fetched).")
  String revision;

  @Option(
      names = "--config",
      defaultValue = "/etc/berth/agent.yaml",
      paramLabel = "FILE",
      description =
          "The AgentConfig whose source, state directory and host are read without PATH"
              + " (default: ${DEFAULT-VALUE}).")
  Path configFile;

  @Mixin RootOption root;

  /** Manifests loaded from where the command was told, and how to name their files. */
  private record Loaded(
      Host host, LoadResult result, Path display, Optional<String> revision, SourceFiles files) {}

  @Override
  public Integer call() throws Exception {
    if (path != null && revision != null) {
      throw new UserError("--revision reads the agent's Git cache; give it without PATH");
    }
    if (path != null) {
      Host host = hostOptions.toHost();
      return diff(
          new Loaded(
              host, Repository.load(path, host), path, Optional.empty(), new DirectoryFiles(path)));
    }
    if (!Files.isRegularFile(configFile)) {
      throw new UserError(
          configFile + ": no such configuration file; give a PATH, or --config FILE");
    }
    AgentConfig config;
    try {
      config = new AgentConfigLoader().load(configFile, LiveHost.hostname());
    } catch (ConfigError e) {
      return AgentCommand.invalid(e, spec.commandLine().getErr());
    }
    Map<String, String> labels = new LinkedHashMap<>(config.hostLabels());
    labels.putAll(hostOptions.labels);
    Host host = new Host(hostOptions.host != null ? hostOptions.host : config.hostName(), labels);
    try (GitSource source = GitSource.readingCache(config.source(), config.gitCacheDir())) {
      SourceRevision fetched = source.fromCache(Optional.ofNullable(revision));
      LoadResult result = Repository.load(fetched.tree(), host);
      return diff(
          new Loaded(host, result, Path.of("."), Optional.of(fetched.commit()), fetched.files()));
    } catch (SourceFailure e) {
      throw new UserError(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UserError(configFile + ": " + e.getMessage());
    }
  }

  private int diff(Loaded loaded) throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Repository.printFindings(loaded.display(), loaded.result(), err);
    if (!loaded.result().valid()) {
      err.println("invalid: " + Repository.summary(loaded.result()) + "; no diff");
      return ExitCodes.ERROR;
    }
    PassPreview preview =
        PassPreview.of(
            loaded.host(),
            loaded.revision(),
            loaded.result().manifests(),
            hostOptions.builds(),
            loaded.files(),
            root.root);
    List<FileChange> changes =
        new HostDiff(preview.installed())
            .changes(
                preview.plan(), preview.containers(), preview.rendering(), preview.inventory());
    PrintWriter out = spec.commandLine().getOut();
    if (common.output == CommonOptions.OutputFormat.json) {
      out.println(Json.write(json(loaded, changes, preview)));
    } else {
      boolean colour = Colours.enabled();
      changes.forEach(change -> UnifiedDiff.lines(change, colour).forEach(out::println));
      PlanCommand.print(preview.plan(), out);
    }
    return preview.plan().hasChanges() || !changes.isEmpty() ? ExitCodes.FINDINGS : ExitCodes.OK;
  }

  private static Map<String, Object> json(
      Loaded loaded, List<FileChange> changes, PassPreview preview) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("host", loaded.host().name());
    out.put("revision", loaded.revision().orElse(null));
    out.put(
        "files",
        changes.stream()
            .map(
                change -> {
                  Map<String, Object> file = new LinkedHashMap<>();
                  file.put("path", "/" + change.path());
                  file.put("change", change.kind().name().toLowerCase(Locale.ROOT));
                  file.put("diff", UnifiedDiff.lines(change, false));
                  return file;
                })
            .toList());
    out.put("plan", preview.plan().lines());
    return out;
  }
}
