package dev.berth.agent.events;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The agent's recent events, in memory and bounded: the oldest go once {@code capacity} are kept,
 * and are counted as dropped. Listeners (the notifications) hear of each event as it is recorded,
 * in order; they must not block.
 */
public final class EventJournal {
  /** What the agent keeps by default: a day of a busy host's events. */
  public static final int DEFAULT_CAPACITY = 1000;

  /** The events after a sequence number, and where the journal stands. */
  public record Page(long latest, long dropped, List<AgentEvent> events) {}

  private final int capacity;
  private final Clock clock;
  private final Deque<AgentEvent> events = new ArrayDeque<>();
  private final List<Consumer<AgentEvent>> listeners = new CopyOnWriteArrayList<>();
  private long latest;
  private long dropped;

  public EventJournal(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("an event journal keeps at least one event");
    }
    this.capacity = capacity;
    this.clock = clock;
  }

  /** Records an event now; returns it with its sequence number and time. */
  public AgentEvent record(EventType type, String container, String revision, String message) {
    AgentEvent event;
    synchronized (this) {
      event = new AgentEvent(++latest, clock.instant(), type, container, revision, message);
      events.addLast(event);
      if (events.size() > capacity) {
        events.removeFirst();
        dropped++;
      }
      // Inside the lock: every listener hears the events in sequence order.
      for (Consumer<AgentEvent> listener : listeners) {
        try {
          listener.accept(event);
        } catch (RuntimeException e) {
          // A listener's bug must not fail the pass that recorded the event.
          System.getLogger(EventJournal.class.getName())
              .log(System.Logger.Level.WARNING, "event listener failed: " + e);
        }
      }
    }
    return event;
  }

  /** The events kept whose sequence is above {@code after} (0: all kept), oldest first. */
  public synchronized Page after(long after) {
    List<AgentEvent> newer = events.stream().filter(event -> event.sequence() > after).toList();
    return new Page(latest, dropped, newer);
  }

  /** Who hears of every event from now on. */
  public void listen(Consumer<AgentEvent> listener) {
    listeners.add(listener);
  }
}
