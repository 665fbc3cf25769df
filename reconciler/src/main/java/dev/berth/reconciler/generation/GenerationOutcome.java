package dev.berth.reconciler.generation;

import java.util.Locale;

/** How a generation's activation ended. */
public enum GenerationOutcome {
  /** Activated, healthy and stable: a rollback target. */
  GOOD,
  /** Its activation failed and was not rolled back: the container runs it, broken. */
  FAILED,
  /** Its activation failed and berth went back to the last good generation. */
  ROLLED_BACK;

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
