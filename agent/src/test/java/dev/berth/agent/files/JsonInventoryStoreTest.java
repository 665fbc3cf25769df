package dev.berth.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.inventory.Owner;
import dev.berth.reconciler.inventory.Provenance;
import dev.berth.reconciler.model.RemovePolicy;
import dev.berth.reconciler.plan.ActionClass;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonInventoryStoreTest {
  @TempDir Path stateDir;

  @Test
  void readsAnInventoryWrittenBeforeImperativeContainersAsAllGit() throws Exception {
    // The format berth wrote before owners existed, byte for byte.
    Files.writeString(
        stateDir.resolve("inventory.json"),
        """
        {
          "containers" : {
            "web" : {
              "name" : "web",
              "removePolicy" : "Retain",
              "stateDir" : "var/lib/machines/web",
              "pending" : "RESTART"
            }
          }
        }
        """);

    Inventory inventory = new JsonInventoryStore(stateDir).load();

    assertThat(inventory.get("web"))
        .contains(
            new InventoryEntry(
                "web", RemovePolicy.RETAIN, "var/lib/machines/web", ActionClass.RESTART));
    assertThat(inventory.owner("web")).contains(Owner.GIT);
    assertThat(inventory.provenance()).isEmpty();
  }

  @Test
  void keepsOwnersAndProvenanceAcrossSaveAndLoad() throws Exception {
    JsonInventoryStore store = new JsonInventoryStore(stateDir);
    Inventory inventory =
        Inventory.EMPTY
            .with(new InventoryEntry("db", RemovePolicy.DELETE, "var/lib/machines/db", null))
            .with(new InventoryEntry("web", RemovePolicy.RETAIN, "var/lib/machines/web", null))
            .with("db", new Provenance(Owner.GIT, "tarball file:///a", "abc", "t1", null))
            .with("web", Provenance.imperative("directory /srv/w", "t2", "/root/web.yaml"))
            .with("claim", Provenance.imperative("tarball file:///b", "t3", "/root/c.yaml"));

    store.save(inventory);

    assertThat(store.load()).isEqualTo(inventory);
    assertThat(Files.readString(stateDir.resolve("inventory.json")))
        .contains("\"owner\" : \"imperative\"", "\"owner\" : \"git\"");
  }

  @Test
  void aReadIsReusedOnlyWhileTheFileIsTheSame() throws Exception {
    JsonInventoryStore store = new JsonInventoryStore(stateDir);
    InventoryEntry web =
        new InventoryEntry("web", RemovePolicy.RETAIN, "var/lib/machines/web", null);
    store.save(Inventory.EMPTY.with(web));

    Inventory first = store.load();
    assertThat(store.load()).isSameAs(first);

    // Another process (berth create beside the agent) replaces the file.
    JsonInventoryStore other = new JsonInventoryStore(stateDir);
    other.save(first.with(web.withPending(ActionClass.RESTART)));

    assertThat(store.load().get("web").orElseThrow().pending()).isEqualTo(ActionClass.RESTART);
    Files.delete(stateDir.resolve("inventory.json"));
    assertThat(store.load()).isEqualTo(Inventory.EMPTY);
  }
}
