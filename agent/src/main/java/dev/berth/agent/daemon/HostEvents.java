package dev.berth.agent.daemon;

/** Tells the agent that something changed on the host (a container's unit or machine), no more. */
public interface HostEvents {

  /** Calls {@code onChange} for each change until the returned handle is closed. */
  AutoCloseable subscribe(Runnable onChange);
}
