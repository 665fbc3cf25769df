package dev.berth.agent.cli;

import dev.berth.reconciler.validate.CrdSchemas;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/** The {@code berth} command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, args));
  }

  /** Runs berth with {@code args} and returns its exit code; wiring happens here, once. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    List<Class<?>> subcommands = Subcommands.reachedBy(args);
    if (Subcommands.readManifests(subcommands)) {
      CrdSchemas.startLoading();
    }
    CommandLine commandLine = new CommandLine(new BerthCommand());
    subcommands.forEach(commandLine::addSubcommand);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(new ErrorHandler());
    commandLine.setParameterExceptionHandler(
        (e, params) -> {
          CommandLine command = e.getCommandLine();
          command
              .getErr()
              .println(
                  "berth: "
                      + e.getMessage()
                      + " (see '"
                      + command.getCommandSpec().qualifiedName()
                      + " --help')");
          return ExitCodes.ERROR;
        });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
