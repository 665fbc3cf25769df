package dev.berth.agent.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryStore;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** The inventory as {@code inventory.json} in berth's state directory, replaced atomically. */
public final class JsonInventoryStore implements InventoryStore {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  // berth writes a few hundred bytes per container; this is tens of thousands of them.
  private static final ReadLimit INVENTORY = new ReadLimit(16 << 20, "berth's inventory");

  private final Path file;

  public JsonInventoryStore(Path stateDir) {
    this.file = stateDir.resolve("inventory.json");
  }

  /** The last inventory parsed, with its bytes: a pass reads it several times, mostly unchanged. */
  private record Read(byte[] bytes, Inventory inventory) {}

  private volatile Read last;

  @Override
  public Inventory load() throws IOException {
    byte[] bytes;
    try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
      bytes = INVENTORY.read(channel, file);
    } catch (java.nio.file.NoSuchFileException e) {
      return Inventory.EMPTY;
    }
    Read cached = last;
    if (cached != null && Arrays.equals(cached.bytes(), bytes)) {
      return cached.inventory();
    }
    try {
      Inventory inventory = MAPPER.readValue(bytes, Inventory.class);
      last = new Read(bytes, inventory);
      return inventory;
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
