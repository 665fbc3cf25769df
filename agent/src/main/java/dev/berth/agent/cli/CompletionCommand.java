package dev.berth.agent.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth completion bash}: the completion script that picocli generates from berth's commands
 * and options, as {@code install.sh} installs it.
 */
@Command(
    name = "completion",
    description =
        "Print the shell completion script for berth (install.sh installs it as"
            + " /usr/share/bash-completion/completions/berth; or: source <(berth completion"
            + " bash)).",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:printed", "2:a shell berth has no script for"})
final class CompletionCommand implements Callable<Integer> {
  /** The shells with a script; zsh reads the bash one through bashcompinit. */
  enum Shell {
    bash
  }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "The shell: ${COMPLETION-CANDIDATES}.")
  Shell shell;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(AutoComplete.bash("berth", CommandTree.whole()));
    return ExitCodes.OK;
  }
}
