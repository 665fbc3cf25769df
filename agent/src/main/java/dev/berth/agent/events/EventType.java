package dev.berth.agent.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * What kind of thing the agent did, as the events API, {@code berth events} and the notification
 * receivers' {@code events:} filters name it (lowerCamelCase, as Kubernetes event reasons).
 */
public enum EventType {
  /** A container converged on a revision by an action, or the host applied a new revision. */
  APPLIED("applied"),
  /** A container's action failed (reported as the failure begins), or a pass crashed. */
  FAILED("failed"),
  /** A container's activation failed and berth went back to its last good generation. */
  ROLLED_BACK("rolledBack"),
  /** A container had drifted from Git and self-heal put it back. */
  DRIFT_HEALED("driftHealed"),
  /** A fetched commit is not signed by an allowed key: it is never applied. */
  SIGNATURE_REFUSED("signatureRefused"),
  /** A rollout holds the newest revision back from this host (reported as the hold begins). */
  HELD("held"),
  /** A revision's manifests are invalid: it is not applied, the last good one keeps running. */
  INVALID("invalid"),
  /** A pass was refused as a whole: it would remove more containers than the policy allows. */
  REFUSED("refused");

  private final String label;

  EventType(String label) {
    this.label = label;
  }

  /** The name on the wire and in configuration files. */
  public String label() {
    return label;
  }

  /** The type of {@code label}, if it names one. */
  public static Optional<EventType> of(String label) {
    return Arrays.stream(values()).filter(type -> type.label.equals(label)).findFirst();
  }

  /** Every label, for error messages: "applied, failed, ...". */
  public static String labels() {
    return String.join(", ", Arrays.stream(values()).map(EventType::label).toList());
  }

  /** The label: what JSON documents hold. */
  @Override
  public String toString() {
    return label;
  }
}
