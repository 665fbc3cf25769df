package dev.berth.reconciler.apply;

import dev.berth.reconciler.host.CommandResult;
import dev.berth.reconciler.host.CredentialCheck;
import dev.berth.reconciler.host.HealthProbes;
import dev.berth.reconciler.host.HostObserver;
import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.host.HostSnapshot;
import dev.berth.reconciler.host.JobResult;
import dev.berth.reconciler.host.Journal;
import dev.berth.reconciler.host.MachineExec;
import dev.berth.reconciler.host.Machines;
import dev.berth.reconciler.host.NetworkControl;
import dev.berth.reconciler.host.StateSnapshots;
import dev.berth.reconciler.host.UnitJobs;
import dev.berth.reconciler.host.UnitSetup;
import dev.berth.reconciler.host.UnitStatus;
import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryStore;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Resources;
import dev.berth.reconciler.render.HostFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent's process as a SIGKILL sees it: every change it makes to a {@link FakeHost} (a job, a
 * unit-file call, a file, the inventory) is counted, and at the one numbered {@code dieAt} the
 * process dies. Nothing of it runs after that: every later call throws too, so no thread of the
 * dead pass changes the host any more. What the host holds (its files, units, machines, the
 * inventory as saved) is what the next process starts from.
 *
 * <p>{@link Death#BEFORE} dies before the call reaches the host. {@link Death#AFTER} dies once the
 * host has it but before it answered: a start or restart job then waits in systemd's queue, and
 * runs later unless a stop replaces it.
 */
final class DyingProcess
    implements HostObserver,
        UnitJobs,
        UnitSetup,
        Machines,
        MachineExec,
        Journal,
        NetworkControl,
        CredentialCheck,
        HealthProbes,
        StateSnapshots,
        HostFiles,
        ImageInstaller,
        InventoryStore {

  /** When the process dies relative to its {@code dieAt}-th change. */
  enum Death {
    BEFORE,
    AFTER
  }

  /** What a SIGKILL does to a JVM, as far as the code that runs in it can tell. */
  static final class Killed extends Error {
    Killed(String call) {
      super("process killed at: " + call, null, false, false);
    }
  }

  private final FakeHost host;
  private final int dieAt;
  private final Death death;
  private final List<String> changes = new ArrayList<>();
  private boolean dead;

  /** A process that never dies: it only counts its changes. */
  static DyingProcess immortal(FakeHost host) {
    return new DyingProcess(host, Integer.MAX_VALUE, Death.BEFORE);
  }

  DyingProcess(FakeHost host, int dieAt, Death death) {
    this.host = host;
    this.dieAt = dieAt;
    this.death = death;
  }

  HostRuntime runtime() {
    return HostRuntime.of(this);
  }

  /** The changes this process made (or began, the last one, when it died), in order. */
  synchronized List<String> changes() {
    return List.copyOf(changes);
  }

  synchronized boolean died() {
    return dead;
  }

  /** A change to the host: carried out unless the process is dead or dies now. */
  private synchronized void change(String call, Runnable effect, Runnable effectWhenDying) {
    if (dead) {
      throw new Killed(call + " (after death)");
    }
    changes.add(call);
    if (changes.size() - 1 == dieAt) {
      dead = true;
      if (death == Death.AFTER) {
        effectWhenDying.run();
      }
      throw new Killed(call);
    }
    effect.run();
  }

  private void change(String call, Runnable effect) {
    change(call, effect, effect);
  }

  private synchronized void alive(String call) {
    if (dead) {
      throw new Killed(call + " (after death)");
    }
  }

  private JobResult job(String call, java.util.function.Supplier<JobResult> job) {
    JobResult[] result = new JobResult[1];
    change(call, () -> result[0] = job.get());
    return result[0];
  }

  /** The job reached systemd, which runs it after the caller is gone. */
  private void queueStart(String unit) {
    synchronized (host) {
      host.queuedStarts.add(unit);
    }
  }

  @Override
  public HostSnapshot observe() {
    alive("observe");
    return host.observe();
  }

  @Override
  public JobResult start(String unit) {
    JobResult[] result = new JobResult[1];
    change("start " + unit, () -> result[0] = host.start(unit), () -> queueStart(unit));
    return result[0];
  }

  @Override
  public JobResult stop(String unit) {
    return job("stop " + unit, () -> host.stop(unit));
  }

  @Override
  public JobResult restart(String unit) {
    JobResult[] result = new JobResult[1];
    change(
        "restart " + unit,
        () -> result[0] = host.restart(unit),
        () -> {
          synchronized (host) {
            host.units.put(unit, UnitStatus.INACTIVE);
            host.machines.remove(unit.substring("systemd-nspawn@".length(), unit.length() - 8));
          }
          queueStart(unit);
        });
    return result[0];
  }

  @Override
  public JobResult reload(String unit) {
    return job("reload " + unit, () -> host.reload(unit));
  }

  @Override
  public void resetFailed(String unit) {
    change("reset-failed " + unit, () -> host.resetFailed(unit));
  }

  @Override
  public void reloadUnitFiles() {
    change("daemon-reload", host::reloadUnitFiles);
  }

  @Override
  public void enable(String unit) {
    change("enable " + unit, () -> host.enable(unit));
  }

  @Override
  public void disable(String unit) {
    change("disable " + unit, () -> host.disable(unit));
  }

  @Override
  public void setLimits(String unit, Resources resources) {
    change("limits " + unit, () -> host.setLimits(unit, resources));
  }

  @Override
  public ProbeResult http(ProbeTarget target, int port, String path, java.time.Duration timeout) {
    alive("probe");
    return host.http(target, port, path, timeout);
  }

  @Override
  public ProbeResult tcp(ProbeTarget target, int port, java.time.Duration timeout) {
    alive("probe");
    return host.tcp(target, port, timeout);
  }

  @Override
  public void take(String machine, String snapshot) {
    change("snapshot " + machine, () -> host.take(machine, snapshot));
  }

  @Override
  public void restore(String machine, String snapshot) {
    change("restore " + machine, () -> host.restore(machine, snapshot));
  }

  @Override
  public void release(String snapshot) {
    change("release " + snapshot, () -> host.release(snapshot));
  }

  @Override
  public List<String> snapshots(String prefix) {
    alive("list-images");
    return host.snapshots(prefix);
  }

  @Override
  public boolean isRegistered(String machine) {
    alive("is-registered");
    return host.isRegistered(machine);
  }

  @Override
  public void terminate(String machine) {
    change("terminate " + machine, () -> host.terminate(machine));
  }

  @Override
  public CommandResult run(String machine, List<String> command) {
    alive("exec");
    return host.run(machine, command);
  }

  @Override
  public List<String> tail(String unit, String invocation, int lines) {
    alive("journal");
    return host.tail(unit, invocation, lines);
  }

  @Override
  public void reloadNetwork() {
    change("networkd-reload", host::reloadNetwork);
  }

  @Override
  public Optional<String> read(String path) throws IOException {
    alive("read");
    return host.read(path);
  }

  @Override
  public List<String> list(String directory) {
    alive("list");
    return host.list(directory);
  }

  @Override
  public void write(HostFile file) {
    change("write " + file.path(), () -> host.write(file));
  }

  @Override
  public void delete(String path) {
    change("delete " + path, () -> host.delete(path));
  }

  @Override
  public boolean exists(String path) {
    alive("exists");
    return host.exists(path);
  }

  @Override
  public void deleteTree(String path) {
    change("delete-tree " + path, () -> host.deleteTree(path));
  }

  @Override
  public String install(Container container) {
    String[] result = new String[1];
    change("install " + container.name(), () -> result[0] = host.install(container));
    return result[0];
  }

  @Override
  public String stage(Container container) {
    String[] result = new String[1];
    change("stage " + container.name(), () -> result[0] = host.stage(container));
    return result[0];
  }

  @Override
  public String swapIn(String name) {
    String[] result = new String[1];
    change("swap-in " + name, () -> result[0] = host.swapIn(name));
    return result[0];
  }

  @Override
  public String swapBack(String name) throws IOException {
    alive("swap-back " + name);
    return host.swapBack(name);
  }

  @Override
  public String releasePrevious(String name) {
    String[] result = new String[1];
    change("release-previous " + name, () -> result[0] = host.releasePrevious(name));
    return result[0];
  }

  @Override
  public String collectUnused(List<Container> desired) {
    String[] result = new String[1];
    change("collect-images", () -> result[0] = host.collectUnused(desired));
    return result[0];
  }

  @Override
  public Inventory load() {
    alive("load inventory");
    return host.load();
  }

  @Override
  public void save(Inventory inventory) {
    change("save inventory " + inventory.containers().keySet(), () -> host.save(inventory));
  }

  /** A read, as the host answers it: it changes nothing, so it never kills. */
  @Override
  public Optional<String> refusal(String id, String ciphertext) {
    alive("decrypt " + id);
    return host.refusal(id, ciphertext);
  }
}
