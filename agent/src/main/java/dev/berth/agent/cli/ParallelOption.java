package dev.berth.agent.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --parallel N} of {@code berth apply} and {@code berth agent}: how many containers' start
 * jobs (and file writes) a pass runs at once, within a dependency wave.
 */
final class ParallelOption {
  /**
   * The default: systemd runs every start job it is given at once, and on 2 cores a window smaller
   * than the containers started held {@code berth apply} back (bin/bench-apply, README
   * "Performance": 50 new containers 1.51x the floor with 16, 1.08x with 64; 100 containers 1.00x
   * with 128). At boot, machines.target starts every enabled container at once as well. A window
   * rather than no limit, since each job waits on a thread of its own.
   */
  static final String DEFAULT = "128";

  @Option(
      names = "--parallel",
      defaultValue = DEFAULT,
      converter = AtLeastOne.class,
      paramLabel = "N",
      description = "Containers activated at once (default: ${DEFAULT-VALUE}).")
  int containers;

  /** A count of at least 1: {@code --parallel 0} would activate nothing. */
  static final class AtLeastOne implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int parsed;
      try {
        parsed = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a whole number");
      }
      if (parsed < 1) {
        throw new TypeConversionException("'" + value + "' is less than 1");
      }
      return parsed;
    }
  }
}
