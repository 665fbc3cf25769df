package dev.berth.reconciler.model;

/** cgroup limits of the container's unit, changed at runtime without a restart. */
public record Resources(String memoryMax, String cpuQuota, String tasksMax) {
  public static final Resources NONE = new Resources(null, null, null);
}
