package dev.berth.reconciler.generation;

import dev.berth.reconciler.model.Health;
import dev.berth.reconciler.plan.ActionClass;
import java.util.Map;
import java.util.TreeMap;

/**
 * One activation of a container on this host, as berth recorded it: its number (counting up per
 * container), the revision it came from, when, the action, how it ended, and a copy of the rendered
 * files it ran with (by path, the bytes berth wrote), from which a rollback restores them
 * byte-identical. The NixOS system is the {@code Parameters=} of its {@code .nspawn}; the image is
 * the identity in its drop-in. {@code snapshot} names the machined image that held the container's
 * state before this activation, while it exists; {@code health} is how its manifest said to tell it
 * is healthy, which a rollback to it checks.
 */
public record Generation(
    int number,
    String revision,
    String time,
    ActionClass action,
    GenerationOutcome outcome,
    String message,
    String digest,
    Map<String, String> files,
    String snapshot,
    Health health) {
  public Generation {
    files = files == null ? Map.of() : new TreeMap<>(files);
    revision = revision == null ? "" : revision;
    message = message == null ? "" : message;
  }

  public Generation settled(GenerationOutcome outcome, String message) {
    return new Generation(
        number, revision, time, action, outcome, message, digest, files, snapshot, health);
  }

  public boolean good() {
    return outcome == GenerationOutcome.GOOD;
  }
}
