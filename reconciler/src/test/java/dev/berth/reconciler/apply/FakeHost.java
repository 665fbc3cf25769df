package dev.berth.reconciler.apply;

import dev.berth.reconciler.generation.Generation;
import dev.berth.reconciler.generation.GenerationStore;
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
import dev.berth.reconciler.render.HostPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-memory host for the engine's unit tests: files, units that start and stop, machines, and a
 * log of every call. The end-to-end tests run the same engine against a real systemd.
 */
public final class FakeHost
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
        GenerationStore,
        InventoryStore {
  public final Map<String, String> files = new TreeMap<>();
  public final Map<String, UnitStatus> units = new HashMap<>();
  public final Set<String> machines = new HashSet<>();
  public final List<String> calls = new ArrayList<>();
  public final Set<String> failingStarts = new HashSet<>();

  /** Units whose next start fails with the restart race, their machine still registered. */
  public final Set<String> racingStarts = new HashSet<>();

  /**
   * Each unit's journal, every line of every run kept as a real journal keeps them, with the
   * invocation it was logged in; each start and restart is a new run ({@link #invocations}).
   */
  public final Map<String, List<JournalLine>> journals = new HashMap<>();

  /** How many runs each unit has had: its current invocation is {@code run-N}. */
  public final Map<String, Integer> invocations = new HashMap<>();

  /** One line of a unit's journal, and the run ({@code InvocationID}) that logged it. */
  public record JournalLine(String invocation, String line) {}

  /** Exit status of each machine's health command; 0 when not set. */
  public final Map<String, Integer> healthExit = new HashMap<>();

  /** Machines whose HTTP and TCP probes fail; the others answer. */
  public final Set<String> unreachable = new HashSet<>();

  /** Machines whose probes answer this many more times, then fail: a container that dies later. */
  public final Map<String, Integer> answersBeforeDown = new HashMap<>();

  /** Each machine's state directory as its files' contents, and the snapshots of them by name. */
  public final Map<String, Map<String, String>> images = new TreeMap<>();

  /**
   * Text that, in the {@code .nspawn} a unit was activated with, makes the container crash right
   * after its start: its unit fails, as a container whose new image dies at boot does.
   */
  public final Set<String> crashingWith = new HashSet<>();

  /** Each container's generations, oldest first. */
  public final Map<String, List<Generation>> generations = new TreeMap<>();

  /** Snapshots that would not fit, by machine. */
  public final Set<String> fullDisks = new HashSet<>();

  public Inventory inventory = Inventory.EMPTY;

  /**
   * The roots under /var/lib/machines (current, staged, previous) by path, each with the sha256 of
   * the tarball it was unpacked from.
   */
  public final Map<String, String> roots = new TreeMap<>();

  /** The tarballs in the image cache, by sha256. */
  public final Set<String> cachedImages = new java.util.TreeSet<>();

  /** Sealed credentials this host cannot decrypt, by ciphertext, with what systemd-creds says. */
  public final Map<String, String> undecryptable = new HashMap<>();

  /** Paths whose read fails, as an oversized or symlinked file in a container's tree does. */
  public final Set<String> unreadable = new HashSet<>();

  /** When set, the next observe() throws it (once), as an exhausted JVM would. */
  public Error observeFailure;

  public int inventorySaves;

  /** Every path read, in order. */
  public final List<String> reads = new ArrayList<>();

  /**
   * Start jobs systemd holds that no caller waits for any more (the agent that asked died): they
   * run at {@link #settle()}, unless a stop replaces them first, as systemd's "replace" mode does.
   */
  /** Each unit's {@code .nspawn} as it was when the unit last started, restarted or reloaded. */
  public final Map<String, String> activated = new HashMap<>();

  public final Set<String> queuedStarts = new java.util.LinkedHashSet<>();

  private static final UnitStatus ACTIVE = new UnitStatus("active", "running");

  /** This host's runtime ports, all of them this object. */
  public HostRuntime runtime() {
    return HostRuntime.of(this);
  }

  private static String machineOf(String unit) {
    return unit.substring("systemd-nspawn@".length(), unit.length() - ".service".length());
  }

  @Override
  public synchronized HostSnapshot observe() {
    Error failure = observeFailure;
    if (failure != null) {
      observeFailure = null;
      throw failure;
    }
    return new HostSnapshot(units, machines);
  }

  @Override
  public synchronized void reloadUnitFiles() {
    calls.add("daemon-reload");
  }

  @Override
  public synchronized void reloadNetwork() {
    calls.add("networkd-reload");
  }

  /** A new run of the unit, as systemd gives each start a new {@code InvocationID}. */
  private String newRun(String unit) {
    return "run-" + invocations.merge(unit, 1, Integer::sum);
  }

  private String currentRun(String unit) {
    return "run-" + invocations.getOrDefault(unit, 0);
  }

  /** Logs a line in the unit's current run. */
  public synchronized void log(String unit, String line) {
    journals
        .computeIfAbsent(unit, u -> new ArrayList<>())
        .add(new JournalLine(currentRun(unit), line));
  }

  @Override
  public synchronized JobResult start(String unit) {
    calls.add("start " + unit);
    queuedStarts.remove(unit);
    String run = newRun(unit);
    if (racingStarts.remove(unit)) {
      units.put(unit, new UnitStatus("failed", "failed"));
      log(unit, "Failed to register machine: Machine '" + machineOf(unit) + "' already exists");
      return new JobResult("failed", "unit result exit-code", run);
    }
    if (failingStarts.contains(unit)) {
      units.put(unit, new UnitStatus("failed", "failed"));
      log(unit, "Failed to mount /srv/x");
      return new JobResult("failed", "unit result exit-code", run);
    }
    units.put(unit, ACTIVE);
    machines.add(machineOf(unit));
    activate(unit);
    return JobResult.done();
  }

  @Override
  public synchronized JobResult stop(String unit) {
    calls.add("stop " + unit);
    queuedStarts.remove(unit);
    units.put(unit, UnitStatus.INACTIVE);
    machines.remove(machineOf(unit));
    return JobResult.done();
  }

  /** systemd runs the jobs nobody waits for any more; the host is then at rest. */
  public synchronized void settle() {
    for (String unit : List.copyOf(queuedStarts)) {
      queuedStarts.remove(unit);
      units.put(unit, ACTIVE);
      machines.add(machineOf(unit));
      activate(unit);
    }
  }

  private void activate(String unit) {
    String nspawn = files.get("etc/systemd/nspawn/" + machineOf(unit) + ".nspawn");
    activated.put(unit, nspawn);
    String dropIn =
        files.getOrDefault(
            "etc/systemd/system/systemd-nspawn@" + machineOf(unit) + ".service.d/50-berth.conf",
            "");
    if (nspawn != null
        && crashingWith.stream().anyMatch(text -> nspawn.contains(text) || dropIn.contains(text))) {
      units.put(unit, new UnitStatus("failed", "failed"));
      machines.remove(machineOf(unit));
      log(unit, "Container " + machineOf(unit) + " exited with status 1.");
    }
  }

  @Override
  public synchronized JobResult restart(String unit) {
    calls.add("restart " + unit);
    queuedStarts.remove(unit);
    newRun(unit);
    units.put(unit, ACTIVE);
    activate(unit);
    return JobResult.done();
  }

  @Override
  public synchronized JobResult reload(String unit) {
    calls.add("reload " + unit);
    activate(unit);
    return JobResult.done();
  }

  @Override
  public synchronized void setLimits(String unit, Resources resources) {
    calls.add("limits " + unit + " " + resources.memoryMax());
  }

  @Override
  public synchronized void enable(String unit) {
    calls.add("enable " + unit);
    files.put("etc/systemd/system/machines.target.wants/" + unit, "");
  }

  @Override
  public synchronized void disable(String unit) {
    calls.add("disable " + unit);
    files.remove("etc/systemd/system/machines.target.wants/" + unit);
  }

  @Override
  public synchronized void resetFailed(String unit) {
    calls.add("reset-failed " + unit);
  }

  @Override
  public synchronized boolean isRegistered(String machine) {
    return machines.contains(machine);
  }

  @Override
  public synchronized void terminate(String machine) {
    calls.add("terminate " + machine);
    machines.remove(machine);
  }

  @Override
  public synchronized CommandResult run(String machine, List<String> command) {
    calls.add("exec " + machine + " " + String.join(" ", command));
    return CommandResult.exited(healthExit.getOrDefault(machine, 0));
  }

  @Override
  public synchronized ProbeResult http(
      ProbeTarget target, int port, String path, Duration timeout) {
    calls.add("probe http " + target.machine() + ":" + port + path);
    return probe(target, "HTTP 200");
  }

  @Override
  public synchronized ProbeResult tcp(ProbeTarget target, int port, Duration timeout) {
    calls.add("probe tcp " + target.machine() + ":" + port);
    return probe(target, "connected");
  }

  private ProbeResult probe(ProbeTarget target, String answer) {
    Integer left = answersBeforeDown.computeIfPresent(target.machine(), (m, n) -> n - 1);
    if (left != null && left < 0) {
      return ProbeResult.down("connection refused");
    }
    boolean up =
        !unreachable.contains(target.machine())
            && units
                .getOrDefault(
                    dev.berth.reconciler.render.HostPaths.unit(target.machine()),
                    UnitStatus.INACTIVE)
                .isActive();
    return up ? ProbeResult.up(answer) : ProbeResult.down("connection refused");
  }

  @Override
  public synchronized List<Generation> history(String container) {
    return List.copyOf(generations.getOrDefault(container, List.of()));
  }

  @Override
  public synchronized void save(String container, Generation generation) {
    List<Generation> list = generations.computeIfAbsent(container, name -> new ArrayList<>());
    list.removeIf(old -> old.number() == generation.number());
    list.add(generation);
    list.sort(java.util.Comparator.comparingInt(Generation::number));
  }

  @Override
  public synchronized void release(String container, int number) {
    calls.add("release generation " + number + " of " + container);
    generations.getOrDefault(container, new ArrayList<>()).removeIf(g -> g.number() == number);
  }

  @Override
  public synchronized void take(String machine, String snapshot) {
    calls.add("snapshot " + machine + " as " + snapshot);
    if (fullDisks.contains(machine)) {
      throw new SnapshotRefused("the snapshot of " + machine + " would not fit");
    }
    images.put(snapshot, new TreeMap<>(images.getOrDefault(machine, Map.of())));
  }

  @Override
  public synchronized void restore(String machine, String snapshot) {
    calls.add("restore " + machine + " from " + snapshot);
    images.put(machine, new TreeMap<>(images.get(snapshot)));
  }

  @Override
  public synchronized void release(String snapshot) {
    calls.add("release " + snapshot);
    images.remove(snapshot);
  }

  @Override
  public synchronized List<String> snapshots(String prefix) {
    return images.keySet().stream().filter(name -> name.startsWith(prefix)).toList();
  }

  @Override
  public synchronized List<String> tail(String unit, String invocation, int lines) {
    List<String> run =
        journals.getOrDefault(unit, List.of()).stream()
            .filter(line -> invocation.isEmpty() || line.invocation().equals(invocation))
            .map(JournalLine::line)
            .toList();
    return run.subList(Math.max(0, run.size() - lines), run.size());
  }

  @Override
  public synchronized Optional<String> refusal(String id, String ciphertext) {
    calls.add("decrypt " + id);
    return Optional.ofNullable(undecryptable.get(ciphertext));
  }

  @Override
  public synchronized Optional<String> read(String path) throws java.io.IOException {
    reads.add(path);
    if (unreadable.contains(path)) {
      throw new java.io.IOException("refusing to read /" + path + ": it is too large");
    }
    return Optional.ofNullable(files.get(path));
  }

  @Override
  public synchronized List<String> list(String directory) {
    String prefix = directory + "/";
    return files.keySet().stream()
        .filter(p -> p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0)
        .map(p -> p.substring(prefix.length()))
        .toList();
  }

  @Override
  public synchronized void write(HostFile file) {
    calls.add("write " + file.path());
    files.put(file.path(), file.content());
  }

  @Override
  public synchronized void delete(String path) {
    calls.add("delete " + path);
    files.remove(path);
  }

  @Override
  public synchronized boolean exists(String path) {
    return files.containsKey(path) || roots.containsKey(path);
  }

  @Override
  public synchronized void deleteTree(String path) {
    calls.add("delete-tree " + path);
    files.keySet().removeIf(p -> p.startsWith(path + "/"));
    roots.remove(path);
  }

  @Override
  public synchronized String install(Container container) {
    calls.add("install " + container.name());
    files.put("var/lib/machines/" + container.name() + "/etc/os-release", "ID=busybox\n");
    var tarball = container.spec().image().tarball();
    if (tarball != null) {
      roots.putIfAbsent(HostPaths.stateDir(container.name()), tarball.sha256());
      cachedImages.add(tarball.sha256());
    }
    return "unpacked";
  }

  @Override
  public synchronized String stage(Container container) {
    calls.add("stage " + container.name());
    String sha256 = container.spec().image().tarball().sha256();
    String staged = HostPaths.stagedRoot(container.name());
    if (sha256.equals(roots.get(staged))) {
      return "staged already";
    }
    roots.remove(staged);
    if (sha256.equals(roots.get(HostPaths.stateDir(container.name())))) {
      return "the root holds it already";
    }
    cachedImages.add(sha256);
    roots.put(staged, sha256);
    return "staged";
  }

  @Override
  public synchronized String swapIn(String name) {
    calls.add("swap-in " + name);
    String staged = roots.remove(HostPaths.stagedRoot(name));
    if (staged == null) {
      return "no staged root";
    }
    String current = roots.remove(HostPaths.stateDir(name));
    roots.put(HostPaths.previousRoot(name), current == null ? "unknown" : current);
    roots.put(HostPaths.stateDir(name), staged);
    return "swapped in";
  }

  @Override
  public synchronized String swapBack(String name) throws java.io.IOException {
    calls.add("swap-back " + name);
    String previous = roots.remove(HostPaths.previousRoot(name));
    if (previous == null) {
      throw new java.io.IOException("no previous root of " + name + " to swap back to");
    }
    roots.remove(HostPaths.stagedRoot(name));
    roots.put(HostPaths.stateDir(name), previous);
    return "swapped back";
  }

  @Override
  public synchronized String releasePrevious(String name) {
    calls.add("release-previous " + name);
    return roots.remove(HostPaths.previousRoot(name)) == null ? "" : "released";
  }

  @Override
  public synchronized String collectUnused(List<Container> desired) {
    Set<String> used = new HashSet<>(roots.values());
    desired.stream()
        .filter(c -> c.spec().image().tarball() != null)
        .forEach(c -> used.add(c.spec().image().tarball().sha256()));
    List<String> unused = cachedImages.stream().filter(sha -> !used.contains(sha)).toList();
    unused.forEach(cachedImages::remove);
    unused.forEach(sha -> calls.add("delete cached image " + sha.substring(0, 4)));
    return unused.isEmpty() ? "" : "deleted " + unused;
  }

  @Override
  public synchronized Inventory load() {
    return inventory;
  }

  @Override
  public synchronized void save(Inventory inventory) {
    this.inventory = inventory;
    inventorySaves++;
  }
}
