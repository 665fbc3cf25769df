package dev.berth.agent.cli;

/** An error whose message is all a user needs: printed as one line, exit 2, no stack trace. */
final class UserError extends RuntimeException {
  UserError(String message) {
    super(message, null, false, false);
  }
}
