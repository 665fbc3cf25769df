package dev.berth.reconciler.model;

import java.util.List;

/** How to tell that a started container is ready: a command run inside it, and how long to wait. */
public record Health(List<String> command, Integer timeoutSec) {
  public static final int DEFAULT_TIMEOUT_SEC = 60;

  public Health {
    command = command == null ? List.of() : List.copyOf(command);
    timeoutSec = timeoutSec == null ? DEFAULT_TIMEOUT_SEC : timeoutSec;
  }
}
