package dev.berth.reconciler.generation;

import java.io.IOException;
import java.util.List;

/**
 * Where a host keeps its containers' generations (docs/rollback.md): the agent's is {@code
 * /var/lib/berth/generations/NAME/}, root-only, since the copies hold sealed credentials too.
 */
public interface GenerationStore {

  /** The container's generations, oldest first; none for a container never activated. */
  List<Generation> history(String container) throws IOException;

  /** Writes {@code generation} (new, or settled), atomically. */
  void save(String container, Generation generation) throws IOException;

  /** Forgets the generation {@code number} and what it alone kept. */
  void release(String container, int number) throws IOException;

  /** A store that records nothing: {@code berth plan}, which changes nothing, needs no history. */
  GenerationStore NONE =
      new GenerationStore() {
        @Override
        public List<Generation> history(String container) {
          return List.of();
        }

        @Override
        public void save(String container, Generation generation) {}

        @Override
        public void release(String container, int number) {}
      };
}
