package dev.berth.agent.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/**
 * One entry of machined's {@code GetMachineAddresses}: {@code (iay)}, the address family ({@code
 * AF_INET} 2, {@code AF_INET6} 10) and the address's bytes, as the container's own network
 * namespace has them.
 */
public final class MachineAddress extends Struct {
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;

  @Position(0)
  public final int family;

  @Position(1)
  public final byte[] address;

  public MachineAddress(int family, byte[] address) {
    this.family = family;
    this.address = address;
  }
}
