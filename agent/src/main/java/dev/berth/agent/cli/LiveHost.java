package dev.berth.agent.cli;

import dev.berth.agent.dbus.DbusMachines;
import dev.berth.agent.dbus.DbusNetwork;
import dev.berth.agent.dbus.DbusObserver;
import dev.berth.agent.dbus.DbusStateSnapshots;
import dev.berth.agent.dbus.DbusUnits;
import dev.berth.agent.dbus.SystemBus;
import dev.berth.agent.files.GenerationDirectory;
import dev.berth.agent.files.HostLockFile;
import dev.berth.agent.files.JsonInventoryStore;
import dev.berth.agent.files.RootHostFiles;
import dev.berth.agent.files.UnitDirectory;
import dev.berth.agent.images.HostImageInstaller;
import dev.berth.agent.probes.NetworkProbes;
import dev.berth.agent.process.JournalctlJournal;
import dev.berth.agent.process.NsenterExec;
import dev.berth.agent.process.SystemdCredsCheck;
import dev.berth.reconciler.apply.ApplyListener;
import dev.berth.reconciler.apply.GitPass;
import dev.berth.reconciler.apply.GitShare;
import dev.berth.reconciler.apply.ImperativeContainers;
import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.host.HostSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The live host's parts wired together: root {@code /}, berth's state in /var/lib/berth. */
final class LiveHost implements AutoCloseable {
  static final Path ROOT = Path.of("/");
  static final Path STATE_DIR = stateDir(ROOT);

  private final SystemBus bus;
  private final HostRuntime runtime;

  private LiveHost(SystemBus bus, Duration jobTimeout) {
    this.bus = bus;
    this.runtime = runtime(bus, jobTimeout);
  }

  static LiveHost connect(Duration jobTimeout) throws IOException {
    return connect(jobTimeout, true);
  }

  static LiveHost connect(Duration jobTimeout, boolean changes) throws IOException {
    if (changes && uid() != 0) {
      throw needsRoot();
    }
    return new LiveHost(SystemBus.connect(), jobTimeout);
  }

  /**
   * Connects to the live host for changes on a thread of its own, so that the connection (a fifth
   * of a {@code berth apply}'s start) is made while the manifests load; refused, as {@link
   * #connect}, only when {@link Connecting#join} takes it, so that a user without root still sees
   * the manifests' findings first.
   */
  static Connecting connecting(Duration jobTimeout) throws IOException {
    CompletableFuture<SystemBus> bus =
        uid() == 0 ? CompletableFuture.supplyAsync(SystemBus::connect, LiveHost::onDaemon) : null;
    return new Connecting(bus, jobTimeout);
  }

  private static UserError needsRoot() {
    return new UserError("changing a live host needs root: run berth as root");
  }

  private static void onDaemon(Runnable task) {
    Thread thread = new Thread(task, "berth-bus-connect");
    thread.setDaemon(true);
    thread.start();
  }

  /** A connection being made by {@link #connecting}: taken by {@link #join}, else closed. */
  static final class Connecting implements AutoCloseable {
    private final CompletableFuture<SystemBus> bus;
    private final Duration jobTimeout;
    private boolean taken;

    private Connecting(CompletableFuture<SystemBus> bus, Duration jobTimeout) {
      this.bus = bus;
      this.jobTimeout = jobTimeout;
    }

    /** The live host, once connected; the caller closes it. */
    LiveHost join() {
      if (bus == null) {
        throw needsRoot();
      }
      taken = true;
      try {
        return new LiveHost(bus.join(), jobTimeout);
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      }
    }

    @Override
    public void close() {
      if (bus != null && !taken) {
        bus.thenAccept(SystemBus::close);
      }
    }
  }

  /**
   * The live host's ports, all over one {@code bus}: systemd, machined and networkd by D-Bus, a
   * machine's commands by {@code nsenter}, the journal by {@code journalctl}, sealed credentials
   * tried by {@code systemd-creds}, health probes from the host to a machine's address, state
   * snapshots as machined's images.
   */
  static HostRuntime runtime(SystemBus bus, Duration jobTimeout) {
    DbusUnits units = new DbusUnits(bus, jobTimeout).enablingIn(ROOT, UnitDirectory.of(ROOT));
    DbusMachines machines = new DbusMachines(bus);
    return new HostRuntime(
        new DbusObserver(bus),
        units,
        units,
        machines,
        new NsenterExec(machines::leader),
        new JournalctlJournal(),
        new DbusNetwork(bus),
        new SystemdCredsCheck(),
        new NetworkProbes(machines::addresses),
        new DbusStateSnapshots(bus, ROOT, DbusStateSnapshots.DEFAULT_CLONE_TIMEOUT));
  }

  /** Git's share of the host, locked as {@code holder} (a pass of the agent or of berth apply). */
  static GitShare gitShare(String holder) {
    return new GitShare(new JsonInventoryStore(STATE_DIR), new HostLockFile(STATE_DIR, holder));
  }

  /** berth's state on the host whose root is {@code root}. */
  static Path stateDir(Path root) {
    return root.resolve("var/lib/berth");
  }

  /**
   * The images of the host whose root is {@code root}, cached in its berth state; https tarballs
   * trust the CAs of the PEM file {@code caFile} ({@code --ca-file}) besides the JVM's, or the
   * JVM's only when it is null; an untrusted server's refusal points to {@code --ca-file}.
   */
  static HostImageInstaller images(Path root, Path caFile) {
    return new HostImageInstaller(
        root, stateDir(root).resolve("images"), caFile, CaFileOption.NAME);
  }

  /**
   * A Git pass on this host, locked as {@code holder}: it sees neither the imperative containers
   * nor their files. Its images trust {@code caFile} as {@link #images} says.
   */
  GitPass gitPass(String holder, int parallelism, Path caFile) {
    GitShare share = gitShare(holder);
    return new GitPass(
        share,
        runtime,
        new RootHostFiles(ROOT),
        images(ROOT, caFile),
        new GenerationDirectory(STATE_DIR),
        parallelism,
        Clock.systemUTC());
  }

  /**
   * The engine of berth create, update and remove; its images trust {@code caFile} as {@link
   * #images} says.
   */
  ImperativeContainers imperative(String holder, ApplyListener listener, Path caFile) {
    return new ImperativeContainers(
        runtime,
        new RootHostFiles(ROOT),
        images(ROOT, caFile),
        new JsonInventoryStore(STATE_DIR),
        new HostLockFile(STATE_DIR, holder),
        listener,
        Clock.systemUTC());
  }

  /** What runs on the host now (units and machines). */
  HostSnapshot observe() {
    return runtime.observer().observe();
  }

  /** The machine's host name, as the kernel knows it (no DNS). */
  static String hostname() throws IOException {
    return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
  }

  private static int uid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  @Override
  public void close() {
    bus.close();
  }
}
