package dev.berth.reconciler.host;

import java.util.Objects;

/**
 * systemd, machined, networkd, the journal, systemd-creds, health probes and state snapshots as
 * berth drives them: the host's ports in one value, so that an engine takes one argument. Failures
 * to talk to them are {@link RuntimeFailure}s.
 */
public record HostRuntime(
    HostObserver observer,
    UnitJobs jobs,
    UnitSetup setup,
    Machines machines,
    MachineExec exec,
    Journal journal,
    NetworkControl network,
    CredentialCheck credentials,
    HealthProbes probes,
    StateSnapshots snapshots) {
  public HostRuntime {
    Objects.requireNonNull(observer, "observer");
    Objects.requireNonNull(jobs, "jobs");
    Objects.requireNonNull(setup, "setup");
    Objects.requireNonNull(machines, "machines");
    Objects.requireNonNull(exec, "exec");
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(probes, "probes");
    Objects.requireNonNull(snapshots, "snapshots");
  }

  /** Every port from one object that implements them all, such as an in-memory host for tests. */
  public static <
          T extends
              HostObserver & UnitJobs & UnitSetup & Machines & MachineExec & Journal
                  & NetworkControl & CredentialCheck & HealthProbes & StateSnapshots>
      HostRuntime of(T host) {
    return new HostRuntime(host, host, host, host, host, host, host, host, host, host);
  }
}
