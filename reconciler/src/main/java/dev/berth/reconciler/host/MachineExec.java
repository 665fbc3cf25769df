package dev.berth.reconciler.host;

import java.util.List;

/** Runs a command inside a running machine (in its leader's namespaces), such as a health check. */
public interface MachineExec {

  /** How {@code command} ended inside {@code machine}. */
  CommandResult run(String machine, List<String> command);
}
