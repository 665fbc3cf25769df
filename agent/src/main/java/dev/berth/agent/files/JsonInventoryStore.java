package dev.berth.agent.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.reconciler.apply.Inventory;
import dev.berth.reconciler.apply.InventoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The inventory as {@code inventory.json} in berth's state directory, replaced atomically. */
public final class JsonInventoryStore implements InventoryStore {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final Path file;

  public JsonInventoryStore(Path stateDir) {
    this.file = stateDir.resolve("inventory.json");
  }

  @Override
  public Inventory load() throws IOException {
    if (!Files.exists(file)) {
      return Inventory.EMPTY;
    }
    try {
      return MAPPER.readValue(file.toFile(), Inventory.class);
    } catch (IOException e) {
      throw new IOException(
          "cannot read berth's inventory "
              + file
              + ": "
              + e.getMessage()
              + " (it records which machines berth created; restore it rather than delete it)",
          e);
    }
  }

  @Override
  public synchronized void save(Inventory inventory) throws IOException {
    AtomicFiles.write(file, MAPPER.writeValueAsBytes(inventory));
  }
}
