package dev.berth.reconciler.host;

/** A unit's state as systemd reports it ({@code ActiveState}, {@code SubState}). */
public record UnitStatus(String activeState, String subState) {
  public static final UnitStatus INACTIVE = new UnitStatus("inactive", "dead");

  public boolean isActive() {
    return activeState.equals("active")
        || activeState.equals("reloading")
        || activeState.equals("activating");
  }

  /** Whether a job is changing the unit right now (starting, stopping, reloading). */
  public boolean isChanging() {
    return activeState.equals("activating")
        || activeState.equals("deactivating")
        || activeState.equals("reloading")
        || activeState.equals("refreshing");
  }

  public boolean isFailed() {
    return activeState.equals("failed");
  }

  @Override
  public String toString() {
    return activeState + "/" + subState;
  }
}
