package dev.berth.reconciler.model;

import java.util.List;

/**
 * How to tell that a started container is healthy: a command run inside it, an HTTP GET or a TCP
 * connect to its address, systemd's own readiness ({@code NotifyReady=yes}: the unit is active only
 * once the container's init said READY), how long to wait for that, and how long it must then stay
 * up and healthy ({@code stabilizeSec}).
 */
public record Health(
    List<String> command,
    HttpProbe http,
    TcpProbe tcp,
    Boolean notifyReady,
    Integer timeoutSec,
    Integer stabilizeSec) {
  public static final int DEFAULT_TIMEOUT_SEC = 60;

  public Health {
    command = command == null ? List.of() : List.copyOf(command);
    notifyReady = notifyReady != null && notifyReady;
    timeoutSec = timeoutSec == null ? DEFAULT_TIMEOUT_SEC : timeoutSec;
    stabilizeSec = stabilizeSec == null ? 0 : stabilizeSec;
  }

  public Health(List<String> command, Integer timeoutSec) {
    this(command, null, null, null, timeoutSec, null);
  }

  /** An HTTP GET of {@code path} on the container's address and {@code port}: 2xx or 3xx is up. */
  public record HttpProbe(Integer port, String path) {
    public HttpProbe {
      path = path == null ? "/" : path;
    }
  }

  /** A TCP connect to the container's address and {@code port}. */
  public record TcpProbe(Integer port) {}

  /** Whether anything but the unit's own state tells that the container is healthy. */
  public boolean probes() {
    return !command.isEmpty() || http != null || tcp != null || notifyReady;
  }

  /** Whether an activation waits for anything once its unit is active: a probe, or stability. */
  public boolean waits() {
    return probes() || stabilizeSec > 0;
  }
}
