package dev.berth.agent.cli;

import dev.berth.agent.files.SingleManifestTree;
import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.diag.Mark;
import dev.berth.reconciler.diag.Severity;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.load.ManifestLoader;
import dev.berth.reconciler.manifest.Sourced;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.validate.SemanticCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest of {@code berth create|update NAME -f FILE}: checked exactly as a Git manifest is
 * (schema, values, and the host rules for this host), plus what the command needs: one {@code
 * Container} document and no zones (those are Git's), named as the command names it. Its {@code
 * placement} does not matter: the command puts it on the host it runs on.
 */
final class ImperativeManifest {
  private ImperativeManifest() {}

  /** The container, or null after printing every finding as {@code FILE:LINE:COL: message}. */
  static Container load(Path file, String name, Host host, PrintWriter err) throws IOException {
    if (!Files.exists(file)) {
      throw new UserError(file + ": no such manifest file");
    }
    SingleManifestTree tree = new SingleManifestTree(file, YamlLimits.DEFAULT);
    LoadResult result = new ManifestLoader().load(tree, SemanticCheck.forCommandOn(host));
    List<Diagnostic> findings = new ArrayList<>(result.diagnostics());
    findings.addAll(commandRules(tree.name(), name, result));
    for (Diagnostic finding : findings) {
      err.println(
          new Diagnostic(
                  finding.severity(),
                  file.toString(),
                  finding.line(),
                  finding.column(),
                  finding.message())
              .format());
    }
    long errors = findings.stream().filter(Diagnostic::isError).count();
    if (errors > 0) {
      err.println("invalid: " + errors + " error" + (errors == 1 ? "" : "s") + "; nothing applied");
      return null;
    }
    return result.manifests().containers().get(0).value();
  }

  private static List<Diagnostic> commandRules(String file, String name, LoadResult result) {
    List<Diagnostic> findings = new ArrayList<>();
    for (Sourced<Zone> zone : result.manifests().zones()) {
      findings.add(
          Diagnostic.error(
              file,
              zone.mark("kind"),
              "a Zone is managed from Git; berth create and update take one Container"));
    }
    result
        .manifests()
        .sourcedRollout()
        .ifPresent(
            rollout ->
                findings.add(
                    Diagnostic.error(
                        file,
                        rollout.mark("kind"),
                        "a Rollout is managed from Git; berth create and update take one"
                            + " Container")));
    List<Sourced<Container>> containers = result.manifests().containers();
    if (containers.isEmpty() && !result.valid()) {
      return findings; // the document that is not a valid Container has its own findings
    }
    if (containers.isEmpty()) {
      findings.add(Diagnostic.error(file, Mark.START, "no Container document in this file"));
      return findings;
    }
    for (Sourced<Container> extra : containers.subList(1, containers.size())) {
      findings.add(
          Diagnostic.error(
              file,
              extra.mark("kind"),
              "one Container per file for berth create and update (this is the "
                  + (containers.indexOf(extra) + 1)
                  + ". one)"));
    }
    Sourced<Container> container = containers.get(0);
    if (!container.value().name().equals(name)) {
      findings.add(
          Diagnostic.error(
              file,
              container.mark("metadata", "name"),
              "metadata.name is \""
                  + container.value().name()
                  + "\", but the command names \""
                  + name
                  + "\"; they must agree"));
    }
    if (container.document().root().path("spec").has("placement")) {
      findings.add(
          new Diagnostic(
              Severity.WARNING,
              file,
              container.mark("spec", "placement").line(),
              container.mark("spec", "placement").column(),
              "placement is not used by berth create and update: the container goes on this"
                  + " host"));
    }
    return findings;
  }
}
