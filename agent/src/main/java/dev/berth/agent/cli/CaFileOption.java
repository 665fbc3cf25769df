package dev.berth.agent.cli;

import dev.berth.agent.tls.CaCertificates;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --ca-file FILE} of the commands that install images: the CAs trusted for https tarballs
 * besides the JVM's, as the agent's {@code source.caFile} is, since a CLI run reads no agent
 * config.
 */
final class CaFileOption {
  /** The option's name, which messages about the CA file name. */
  static final String NAME = "--ca-file";

  @Option(
      names = NAME,
      paramLabel = "FILE",
      description =
          "A PEM file of CA certificates trusted for https tarball images, besides the JVM's own"
              + " (as the agent's source.caFile). It must exist and hold at least one"
              + " certificate.")
  Path file; // null: the JVM's CAs only

  /**
   * Refuses a file that does not read as PEM certificates, with the agent's own check: called
   * before anything connects, so that a wrong path fails the run in one line rather than at its
   * first https download, midway through a pass.
   */
  void check() {
    if (file != null) {
      try {
        CaCertificates.read(file);
      } catch (IOException e) {
        throw new UserError(NAME + ": " + e.getMessage());
      }
    }
  }
}
