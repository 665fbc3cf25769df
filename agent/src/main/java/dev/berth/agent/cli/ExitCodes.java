package dev.berth.agent.cli;

/** berth's exit codes, as docs/exit-codes.md states them per command. */
final class ExitCodes {
  static final int OK = 0;

  /** validate/render: invalid manifests; plan: changes pending; apply: a container failed. */
  static final int FINDINGS = 1;

  /** Usage, I/O or any other error. */
  static final int ERROR = 2;

  private ExitCodes() {}
}
