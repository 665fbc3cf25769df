package dev.berth.agent.dbus;

import dev.berth.reconciler.host.NetworkControl;

/** berth's {@link NetworkControl}: networkd's manager over the system bus. */
public final class DbusNetwork implements NetworkControl {
  private final SystemBus bus;

  public DbusNetwork(SystemBus bus) {
    this.bus = bus;
  }

  @Override
  public void reloadNetwork() {
    SystemBus.call(
        "reload networkd",
        () -> {
          bus.remote(Network1Manager.BUS_NAME, Network1Manager.OBJECT_PATH, Network1Manager.class)
              .Reload();
          return null;
        });
  }
}
