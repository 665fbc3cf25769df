package dev.berth.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Adds two secondary results per benchmark: the CPU time of the whole benchmark JVM per operation
 * ({@code cpu.process}: the benchmark thread, GC and JIT threads together) and the time the
 * collectors report per operation ({@code gc.time.op}). On a shared machine, where other work
 * stretches wall-clock time, CPU time per operation is the steadier figure.
 *
 * <p>Use: {@code bin/bench -prof dev.berth.benchmarks.CpuTimeProfiler}.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuBefore;
  private long gcBefore;

  @Override
  public String getDescription() {
    return "CPU time of the benchmark JVM (all threads) and collector time, per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuBefore = os.getProcessCpuTime();
    gcBefore = gcMillis();
  }

  @Override
  public List<Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long ops = Math.max(1, result.getMetadata().getAllOps());
    double cpuMs = (os.getProcessCpuTime() - cpuBefore) / 1e6 / ops;
    double gcMs = (double) (gcMillis() - gcBefore) / ops;
    return List.of(
        new ScalarResult("cpu.process", cpuMs, "ms/op", AggregationPolicy.AVG),
        new ScalarResult("gc.time.op", gcMs, "ms/op", AggregationPolicy.AVG));
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, collector.getCollectionTime());
    }
    return total;
  }
}
