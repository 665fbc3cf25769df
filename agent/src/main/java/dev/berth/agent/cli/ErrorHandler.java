package dev.berth.agent.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns any failure into one line on stderr and exit code 2; the stack trace only with --debug. */
final class ErrorHandler implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, ParseResult parseResult) {
    Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
    commandLine.getErr().println("berth: " + message(cause));
    if (parseResult.hasMatchedOption("--debug")
        || parseResult.subcommands().stream().anyMatch(sub -> sub.hasMatchedOption("--debug"))) {
      e.printStackTrace(commandLine.getErr());
    }
    return ExitCodes.ERROR;
  }

  private static String message(Throwable e) {
    if (e instanceof UserError) {
      return e.getMessage();
    }
    if (e instanceof NoSuchFileException missing) {
      return "no such file or directory: " + missing.getFile();
    }
    if (e instanceof AccessDeniedException denied) {
      return "permission denied: " + denied.getFile();
    }
    if (e instanceof IOException) {
      return "I/O error: " + e.getMessage();
    }
    return "internal error: " + e + " (run with --debug for details)";
  }
}
