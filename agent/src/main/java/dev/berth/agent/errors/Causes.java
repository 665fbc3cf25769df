package dev.berth.agent.errors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cause chain of a failure, walked once for everyone who turns a library's exception into a
 * line for a user (the Git source, TLS refusals).
 *
 * <p>The walk stops at the first throwable it has seen before: {@link Throwable#initCause} refuses
 * only a throwable as its own cause, so a chain {@code a -> b -> a} can be built, and a library's
 * {@code getCause()} override may return anything; a walk that trusted the chain to end would spin
 * forever on such a failure, inside the agent's pass.
 */
public final class Causes {
  private Causes() {}

  /** {@code error} and its causes, outermost first, each once. */
  public static List<Throwable> chain(Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  /** The innermost cause of {@code error}: the last of its chain ({@code error} if it has none). */
  public static Throwable root(Throwable error) {
    List<Throwable> chain = chain(error);
    return chain.get(chain.size() - 1);
  }

  /** The outermost throwable in the chain of {@code error} that is a {@code type}, if any. */
  public static <T extends Throwable> Optional<T> find(Throwable error, Class<T> type) {
    return chain(error).stream().filter(type::isInstance).map(type::cast).findFirst();
  }
}
