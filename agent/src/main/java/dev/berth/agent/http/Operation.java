package dev.berth.agent.http;

/** What a caller of the control API asks for; only {@link #STATUS} changes nothing. */
enum Operation {
  STATUS("read the status of the agent"),
  SUSPEND("suspend the agent"),
  RESUME("resume the agent"),
  RECONCILE("trigger a pass of the agent");

  private final String phrase;

  Operation(String phrase) {
    this.phrase = phrase;
  }

  /** How a refusal says it: "uid 65534 (nobody) may not " + phrase. */
  String phrase() {
    return phrase;
  }

  boolean changes() {
    return this != STATUS;
  }
}
