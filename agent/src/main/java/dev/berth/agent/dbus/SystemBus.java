package dev.berth.agent.dbus;

import dev.berth.agent.daemon.HostEvents;
import dev.berth.reconciler.host.RuntimeFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.freedesktop.dbus.DBusAsyncReply;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.matchrules.DBusMatchRule;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.messages.MethodCall;

/**
 * berth's one connection to the system bus, shared by this package's adapters: systemd's and
 * machined's managers, the results of the jobs berth started, and the signals that tell the agent a
 * container changed. {@link #call} is where a D-Bus failure becomes a {@link RuntimeFailure}.
 */
public final class SystemBus implements HostEvents, AutoCloseable {
  private final DBusConnection connection;
  private final Systemd1Manager systemd;
  private final Machine1Manager machined;
  private final JobWatcher jobs = new JobWatcher();
  private final AutoCloseable subscription;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private SystemBus(DBusConnection connection) throws DBusException {
    this.connection = connection;
    this.systemd =
        connection.getRemoteObject(
            Systemd1Manager.BUS_NAME, Systemd1Manager.OBJECT_PATH, Systemd1Manager.class);
    this.machined =
        connection.getRemoteObject(
            Machine1Manager.BUS_NAME, Machine1Manager.OBJECT_PATH, Machine1Manager.class);
    this.subscription =
        connection.addSigHandler(
            Systemd1Manager.JobRemoved.class,
            signal -> {
              jobs.removed(signal.job().getPath(), signal.result());
              if (signal.unit().startsWith("systemd-nspawn@")) {
                listeners.forEach(Runnable::run);
              }
            });
    systemd.Subscribe();
  }

  /** Connects to the system bus; a clear {@link RuntimeFailure} when there is none. */
  public static SystemBus connect() {
    try {
      return new SystemBus(DBusConnectionBuilder.forSystemBus().withShared(false).build());
    } catch (DBusException | RuntimeException e) {
      throw new RuntimeFailure(
          "cannot connect to the system bus (is this a systemd host, and are you root?): "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public AutoCloseable subscribe(Runnable onChange) {
    listeners.add(onChange);
    AutoCloseable machines;
    AutoCloseable units;
    try {
      machines =
          connection.addSigHandler(Machine1Manager.MachineRemoved.class, signal -> onChange.run());
      units =
          connection.<Properties.PropertiesChanged>addSigHandler(
              UnitStateChanges.RULE,
              signal -> {
                if (signal.getPath().startsWith(NSPAWN_UNIT_PATH)
                    && signal.getPropertiesChanged().containsKey("ActiveState")) {
                  onChange.run();
                }
              });
    } catch (DBusException e) {
      throw new RuntimeFailure("cannot subscribe to systemd's signals: " + e.getMessage(), e);
    }
    return () -> {
      listeners.remove(onChange);
      machines.close();
      units.close();
    };
  }

  /** The start of the object path of every {@code systemd-nspawn@NAME.service}. */
  private static final String NSPAWN_UNIT_PATH = UnitObjectPath.of("systemd-nspawn@");

  /**
   * The bus delivers only the Unit interface's property changes of units (a container that dies on
   * its own runs no job, so no JobRemoved tells of it); the path prefix is checked on arrival. Made
   * on first use: only the agent subscribes, and building the rule cost a CLI run 30 ms of CPU.
   */
  private static final class UnitStateChanges {
    static final DBusMatchRule RULE = build();

    private static DBusMatchRule build() {
      try {
        return DBusMatchRuleBuilder.create()
            .withType(Properties.PropertiesChanged.class)
            .withPathNamespace("/org/freedesktop/systemd1/unit")
            .withArg0123(0, "org.freedesktop.systemd1.Unit")
            .build();
      } catch (DBusException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  Systemd1Manager systemd() {
    return systemd;
  }

  Machine1Manager machined() {
    return machined;
  }

  JobWatcher jobs() {
    return jobs;
  }

  /**
   * A proxy of the object at {@code path} of service {@code busName}, such as networkd's manager.
   */
  <T extends DBusInterface> T remote(String busName, String path, Class<T> type)
      throws DBusException {
    return connection.getRemoteObject(busName, path, type);
  }

  /** The properties of an object, such as a unit's {@code Result} or a machine's {@code Leader}. */
  Properties properties(String busName, String path) throws DBusException {
    return remote(busName, path, Properties.class);
  }

  /**
   * Calls {@code method} of machined's manager and waits up to {@code timeout} for its answer,
   * where a plain call gives up after dbus-java's 20 s: machined answers {@code CloneImage} only
   * when its copy is done, which for a large directory tree takes minutes. Failures as {@link
   * #call}'s.
   */
  void callMachinedSlowly(String what, Duration timeout, String method, Object... args) {
    MethodCall call =
        call(what, () -> connection.callMethodAsync(machined, method, args)).getCall();
    long deadline = System.nanoTime() + timeout.toNanos();
    // The call's own reply: DBusAsyncReply knows no answer to a method that returns nothing.
    while (!call.hasReply()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new RuntimeFailure(
            "cannot " + what + ": machined did not answer within " + timeout.toSeconds() + " s");
      }
      call.getReply(Math.max(1, Math.min(left / 1_000_000, 1000)));
    }
    if (call.getReply() instanceof org.freedesktop.dbus.messages.Error error) {
      DBusExecutionException failure = error.getException();
      throw new RuntimeFailure("cannot " + what + ": " + failure.getMessage(), failure);
    }
  }

  /**
   * Sends {@code method} to {@code object} once per argument list, all before waiting for an
   * answer, and returns the answers in order: one wait for the bus's round trip, not one per call.
   * Failures as {@link #call}'s; no answer within dbus-java's reply timeout, for them all, is one
   * as well.
   */
  List<Object> callAll(String what, DBusInterface object, String method, List<Object[]> calls) {
    List<DBusAsyncReply<?>> replies = new ArrayList<>(calls.size());
    for (Object[] arguments : calls) {
      replies.add(call(what, () -> connection.callMethodAsync(object, method, arguments)));
    }
    long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
    List<Object> answers = new ArrayList<>(replies.size());
    for (DBusAsyncReply<?> reply : replies) {
      long left = deadline - System.nanoTime();
      reply.getCall().getReply(Math.max(1, left / 1_000_000));
      answers.add(call(what, reply::getReply)); // NoReply, unless answered by now
    }
    return answers;
  }

  /** dbus-java's own limit for the answer to a plain call. */
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);

  /** Runs one exchange with the bus; its D-Bus failure as "cannot {@code what}: ...". */
  static <T> T call(String what, BusCall<T> call) {
    try {
      return call.run();
    } catch (DBusException | DBusExecutionException e) {
      throw new RuntimeFailure("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  /** An exchange with the bus, as dbus-java throws it. */
  interface BusCall<T> {
    T run() throws DBusException;
  }

  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      // closing anyway
    }
    try {
      connection.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
