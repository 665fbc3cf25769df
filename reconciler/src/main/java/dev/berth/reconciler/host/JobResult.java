package dev.berth.reconciler.host;

import java.util.Objects;

/**
 * How a systemd job ended: its {@code JobRemoved} result ({@code done}, {@code failed}, {@code
 * timeout}, {@code canceled}, {@code dependency}, {@code skipped}) and, when it failed, the unit's
 * {@code Result}, where to look, and the run of the unit it failed in: systemd's {@code
 * InvocationID} as hex, empty where systemd gave none, so that the unit's {@link Journal} is read
 * for that run and not for an earlier one.
 */
public record JobResult(String result, String detail, String invocation) {
  public JobResult {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(invocation, "invocation");
  }

  /** A job whose run of the unit is not asked for (one that succeeded) or not known. */
  public JobResult(String result, String detail) {
    this(result, detail, "");
  }

  public static JobResult done() {
    return new JobResult("done", "");
  }

  public boolean ok() {
    return result.equals("done") || result.equals("skipped");
  }

  public String describe() {
    return detail.isEmpty() ? "job " + result : "job " + result + ": " + detail;
  }
}
