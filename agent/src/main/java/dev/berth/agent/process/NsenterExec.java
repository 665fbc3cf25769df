package dev.berth.agent.process;

import dev.berth.reconciler.host.CommandResult;
import dev.berth.reconciler.host.MachineExec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/** berth's {@link MachineExec}: {@code nsenter} into all namespaces of the machine's leader. */
public final class NsenterExec implements MachineExec {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ToLongFunction<String> leaderOf;

  /** {@code leaderOf} gives a running machine's leader PID (machined knows it). */
  public NsenterExec(ToLongFunction<String> leaderOf) {
    this.leaderOf = leaderOf;
  }

  @Override
  public CommandResult run(String machine, List<String> command) {
    long leader = leaderOf.applyAsLong(machine);
    List<String> full =
        new ArrayList<>(List.of("nsenter", "--target", Long.toString(leader), "--all", "--"));
    full.addAll(command);
    return Subprocess.of(full).timeout(TIMEOUT).discardOutput().run();
  }
}
