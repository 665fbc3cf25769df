package dev.berth.agent.cli;

import dev.berth.reconciler.validate.Names;

/** A container's name given on the command line, held to the rule of the manifests' names. */
final class ContainerNames {
  private ContainerNames() {}

  /** {@code name}, if it can name a container; otherwise a one-line error that quotes it. */
  static String checked(String name) {
    if (!Names.isDnsLabel(name) || name.length() > Names.MAX_CONTAINER_NAME) {
      // Control characters would break the one line (or the terminal); they are shown as '?'.
      throw new UserError(
          name.replaceAll("\\p{Cntrl}", "?")
              + ": not a container name (lowercase letters, digits and '-', at most "
              + Names.MAX_CONTAINER_NAME
              + ")");
    }
    return name;
  }
}
