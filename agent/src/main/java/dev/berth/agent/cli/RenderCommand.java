package dev.berth.agent.cli;

import dev.berth.agent.files.ContainerTree;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.render.HostFile;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.HostRendering;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth render PATH --host NAME --out DIR}: every file the host would get, under DIR. */
@Command(
    name = "render",
    description = "Write every file a host would get under DIR, each at its host path.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:rendered", "1:invalid manifests", "2:usage or I/O error"})
final class RenderCommand implements Callable<Integer>, ReadsManifests {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin HostOptions hostOptions;

  @Parameters(paramLabel = "PATH", description = "The manifest directory.")
  Path path;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where to write the files.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Host host = hostOptions.toHost();
    var builds = hostOptions.builds();
    LoadResult result = Repository.load(path, host);
    var err = spec.commandLine().getErr();
    Repository.printFindings(path, result, err);
    if (!result.valid()) {
      err.println("invalid: " + Repository.summary(result) + "; nothing rendered");
      return ExitCodes.FINDINGS;
    }
    var manifests = result.manifests();
    HostRendering rendering =
        new HostRenderer().render(manifests.containersOn(host), manifests.zonesOn(host), builds);
    Path base = out.toAbsolutePath().normalize();
    for (HostFile file : rendering.allFiles()) {
      Path target = base.resolve(file.path()).normalize();
      if (!target.startsWith(base)) {
        throw new UserError("refusing to write outside " + out + ": " + file.path());
      }
      // DIR may be shared (under /tmp, say): a symlink planted in it must not send a write
      // elsewhere.
      Files.createDirectories(base);
      ContainerTree.write(
          base,
          base.relativize(target),
          file.content().getBytes(StandardCharsets.UTF_8),
          "the output directory " + out);
      if (common.output == CommonOptions.OutputFormat.text) {
        spec.commandLine().getOut().println("/" + file.path());
      }
    }
    if (common.output == CommonOptions.OutputFormat.json) {
      spec.commandLine()
          .getOut()
          .println(
              Json.write(
                  java.util.Map.of(
                      "host", host.name(),
                      "files", rendering.allFiles().stream().map(f -> "/" + f.path()).toList())));
    }
    manifests.containersOn(host).stream()
        .filter(c -> c.spec().image().isNixos() && builds.systemOf(c.name()).isEmpty())
        .forEach(
            c ->
                err.println(
                    "note: "
                        + c.name()
                        + ": NixOS system not built here; Parameters= is"
                        + " left out (pass --system "
                        + c.name()
                        + "=/nix/store/...-nixos-system to render it)"));
    return ExitCodes.OK;
  }
}
