package dev.berth.reconciler.host;

/**
 * How a systemd job ended: its {@code JobRemoved} result ({@code done}, {@code failed}, {@code
 * timeout}, {@code canceled}, {@code dependency}, {@code skipped}) and, when it failed, the unit's
 * {@code Result} and where to look.
 */
public record JobResult(String result, String detail) {
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
