package dev.berth.agent.cli;

import dev.berth.agent.files.DirectoryManifestTree;
import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.load.ManifestLoader;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.validate.SemanticCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a manifest directory for a command and prints its findings the way users read them. */
final class Repository {
  private Repository() {}

  static LoadResult load(Path path, Host host) throws IOException {
    if (!Files.isDirectory(path)) {
      throw new UserError(path + ": not a directory of manifests");
    }
    return load(new DirectoryManifestTree(path, YamlLimits.DEFAULT), host);
  }

  /** Loads {@code tree} (a directory's, a commit's) as the agent does, checked for {@code host}. */
  static LoadResult load(ManifestTree tree, Host host) throws IOException {
    SemanticCheck check = host == null ? SemanticCheck.forAllHosts() : SemanticCheck.forHost(host);
    return new ManifestLoader().load(tree, check);
  }

  /**
   * Prints each finding as {@code FILE:LINE:COL: message}, paths as the user gave the directory.
   */
  static void printFindings(Path path, LoadResult result, PrintWriter err) {
    for (Diagnostic diagnostic : result.diagnostics()) {
      Diagnostic shown =
          new Diagnostic(
              diagnostic.severity(),
              display(path, diagnostic.file()),
              diagnostic.line(),
              diagnostic.column(),
              diagnostic.message());
      err.println(shown.format());
    }
  }

  static String display(Path root, String file) {
    String base = root.toString();
    if (base.equals(".")) {
      return file;
    }
    return base.endsWith("/") ? base + file : base + "/" + file;
  }

  static String summary(LoadResult result) {
    return result.errorCount()
        + " error"
        + (result.errorCount() == 1 ? "" : "s")
        + ", "
        + result.warningCount()
        + " warning"
        + (result.warningCount() == 1 ? "" : "s");
  }
}
