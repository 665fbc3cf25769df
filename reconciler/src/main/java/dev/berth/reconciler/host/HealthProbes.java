package dev.berth.reconciler.host;

import java.time.Duration;

/**
 * Probes a container's network service from the host, one attempt each: an HTTP GET or a TCP
 * connect to the machine's address (its first address as machined reports it, or 127.0.0.1 when it
 * shares the host's network).
 */
public interface HealthProbes {

  /**
   * A GET of {@code path} on {@code port}: a 2xx or 3xx answer within {@code timeout} is healthy.
   */
  ProbeResult http(ProbeTarget target, int port, String path, Duration timeout);

  /** A TCP connect to {@code port} accepted within {@code timeout} is healthy. */
  ProbeResult tcp(ProbeTarget target, int port, Duration timeout);

  /** The machine to probe, and whether it shares the host's network (then 127.0.0.1 is probed). */
  record ProbeTarget(String machine, boolean hostNetwork) {}

  /** One probe's answer: healthy or not, and what it saw ("HTTP 503 from 10.0.0.2:80/"). */
  record ProbeResult(boolean healthy, String detail) {
    public static ProbeResult up(String detail) {
      return new ProbeResult(true, detail);
    }

    public static ProbeResult down(String detail) {
      return new ProbeResult(false, detail);
    }
  }
}
