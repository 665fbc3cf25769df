package dev.berth.agent.http;

import io.prometheus.metrics.model.snapshots.Unit;
import java.util.EnumSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One quantity of a container's resource use: the systemd property it is read from and the
 * Prometheus series it is exported as (docs/metrics.md, "Container resources").
 */
enum ContainerResource {
  MEMORY(
      "MemoryCurrent",
      "berth_container_memory_bytes",
      false,
      Unit.BYTES,
      1,
      "Memory the container's unit uses now, page cache included (MemoryCurrent)"),
  CPU(
      "CPUUsageNSec",
      "berth_container_cpu_seconds",
      true,
      Unit.SECONDS,
      1e-9,
      "CPU time the container's unit has used since it started (CPUUsageNSec)"),
  TASKS(
      "TasksCurrent",
      "berth_container_tasks",
      false,
      null,
      1,
      "Processes and threads in the container's unit (TasksCurrent)"),
  RECEIVED_BYTES(
      "IPIngressBytes",
      "berth_container_network_receive_bytes",
      true,
      Unit.BYTES,
      1,
      "IP bytes the container's unit received, with IPAccounting=yes (IPIngressBytes)"),
  TRANSMITTED_BYTES(
      "IPEgressBytes",
      "berth_container_network_transmit_bytes",
      true,
      Unit.BYTES,
      1,
      "IP bytes the container's unit sent, with IPAccounting=yes (IPEgressBytes)"),
  RECEIVED_PACKETS(
      "IPIngressPackets",
      "berth_container_network_receive_packets",
      true,
      null,
      1,
      "IP packets the container's unit received, with IPAccounting=yes (IPIngressPackets)"),
  TRANSMITTED_PACKETS(
      "IPEgressPackets",
      "berth_container_network_transmit_packets",
      true,
      null,
      1,
      "IP packets the container's unit sent, with IPAccounting=yes (IPEgressPackets)");

  /** UINT64_MAX in a long's 64 bits: systemd's "not accounted" (accounting off, unit inactive). */
  static final long NOT_ACCOUNTED = -1L;

  /**
   * The unit's boolean property that turns IP accounting on. Off, systemd answers {@link
   * #NOT_ACCOUNTED} for each of the {@link #IP_COUNTERS} without looking further ({@code
   * unit_get_ip_accounting} in its {@code src/core/cgroup.c} checks this same setting first).
   */
  static final String IP_ACCOUNTING = "IPAccounting";

  /** The quantities systemd accounts only with {@link #IP_ACCOUNTING} on. */
  static final Set<ContainerResource> IP_COUNTERS =
      EnumSet.of(RECEIVED_BYTES, TRANSMITTED_BYTES, RECEIVED_PACKETS, TRANSMITTED_PACKETS);

  final String property;

  /** The name as the snapshot carries it; the text format adds {@code _total} to a counter's. */
  final String name;

  final boolean counter;
  final Unit unit;
  final String help;
  private final double scale;

  ContainerResource(
      String property, String name, boolean counter, Unit unit, double scale, String help) {
    this.property = property;
    this.name = name;
    this.counter = counter;
    this.unit = unit;
    this.scale = scale;
    this.help = help;
  }

  /** The value to export for systemd's {@code raw}; none for "not accounted". */
  OptionalDouble value(long raw) {
    if (raw == NOT_ACCOUNTED) {
      return OptionalDouble.empty();
    }
    // Unsigned: a value past 2^63 keeps its magnitude (no counter here gets there).
    double unsigned = raw >= 0 ? raw : (raw >>> 1) * 2.0;
    return OptionalDouble.of(unsigned * scale);
  }
}
