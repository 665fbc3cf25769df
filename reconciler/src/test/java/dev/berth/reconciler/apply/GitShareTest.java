package dev.berth.reconciler.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryStore;
import dev.berth.reconciler.inventory.Provenance;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class GitShareTest {
  /** An inventory store that counts its loads. */
  private static final class CountingStore implements InventoryStore {
    Inventory inventory = Inventory.EMPTY;
    int loads;

    @Override
    public Inventory load() {
      loads++;
      return inventory;
    }

    @Override
    public void save(Inventory inventory) {
      this.inventory = inventory;
    }
  }

  private final CountingStore store = new CountingStore();
  private final GitShare share = new GitShare(store, new InProcessHostLock());

  private void createImperative(String name) {
    store.inventory =
        store.inventory.with(name, Provenance.imperative("tarball file:///i.tar", "now", "/m"));
  }

  @Test
  void whileTheLockIsHeldTheImperativeSetIsReadOnceWhenItWasTaken() throws IOException {
    createImperative("web");

    try (HostLock.Held held = share.lock(message -> {})) {
      assertThat(store.loads).isEqualTo(1);
      for (int write = 0; write < 150; write++) {
        assertThat(share.imperative()).containsExactly("web");
      }
      assertThat(store.loads).isEqualTo(1);
    }
  }

  @Test
  void withoutTheLockEachCallReadsTheInventoryAgain() throws IOException {
    try (HostLock.Held held = share.lock(message -> {})) {
      assertThat(share.imperative()).isEmpty();
    }
    createImperative("db");

    assertThat(share.imperative()).containsExactly("db");
    createImperative("web");
    assertThat(share.imperative()).containsExactlyInAnyOrder("db", "web");
  }
}
