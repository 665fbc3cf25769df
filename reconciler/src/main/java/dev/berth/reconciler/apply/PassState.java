package dev.berth.reconciler.apply;

import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.inventory.InventoryStore;
import dev.berth.reconciler.pass.ContainerDecision;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** What one pass's execution has done so far: the inventory as it evolves, results as they come. */
final class PassState {
  private final InventoryStore store;
  private final ApplyListener listener;
  private final Map<String, ContainerResult> results = new ConcurrentHashMap<>();
  private final Map<String, String> notes = new ConcurrentHashMap<>();
  private final Set<String> drifted = ConcurrentHashMap.newKeySet();
  private volatile Inventory inventory;

  /** The inventory as last loaded or saved; a pass that changed nothing does not write it. */
  private Inventory saved;

  boolean removedUnits;
  boolean removedNetwork;

  PassState(Inventory inventory, InventoryStore store, ApplyListener listener) {
    this.inventory = inventory;
    this.saved = inventory;
    this.store = store;
    this.listener = listener;
  }

  Inventory inventory() {
    return inventory;
  }

  /** Records {@code changed} as the inventory and saves it at once: a crash must not lose it. */
  synchronized void saveNow(Inventory changed) throws IOException {
    inventory = changed;
    store.save(inventory);
    saved = inventory;
  }

  /** Saves the inventory if the pass changed it since it was last saved. */
  synchronized void saveIfChanged() throws IOException {
    if (!inventory.equals(saved)) {
      saveNow(inventory);
    }
  }

  synchronized void change(String name, UnaryOperator<InventoryEntry> change) {
    // Most passes change nothing; a copy of the whole inventory per container would be O(n²).
    inventory
        .get(name)
        .map(change)
        .filter(changed -> !inventory.get(name).orElseThrow().equals(changed))
        .ifPresent(changed -> inventory = inventory.with(changed));
  }

  void note(String name, String note) {
    notes.put(name, note);
  }

  String note(String name) {
    return notes.getOrDefault(name, "");
  }

  void drifted(String name) {
    drifted.add(name);
  }

  boolean done(String name) {
    return results.containsKey(name);
  }

  boolean failed(String name) {
    ContainerResult result = results.get(name);
    return result != null
        && (result.outcome() == Outcome.FAILED
            || result.outcome() == Outcome.BLOCKED
            || result.outcome() == Outcome.ROLLED_BACK);
  }

  ContainerResult result(String name) {
    return results.get(name);
  }

  void record(ContainerDecision decision, Outcome outcome, String message) {
    ContainerResult result =
        new ContainerResult(
            decision.name(),
            decision.action(),
            outcome,
            message == null ? "" : message,
            drifted.contains(decision.name()),
            outcome == Outcome.SKIPPED ? decision.skip() : java.util.Optional.empty());
    results.put(decision.name(), result);
    listener.finished(result);
  }

  void converge(ContainerDecision decision, String message) {
    record(decision, Outcome.CONVERGED, message);
  }

  void fail(ContainerDecision decision, String message) {
    record(decision, Outcome.FAILED, message);
  }
}
