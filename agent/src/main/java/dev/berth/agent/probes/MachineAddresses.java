package dev.berth.agent.probes;

import java.net.InetAddress;
import java.util.List;

/** A machine's addresses as machined reports them (its {@code GetMachineAddresses}), in order. */
@FunctionalInterface
public interface MachineAddresses {
  List<InetAddress> of(String machine);
}
