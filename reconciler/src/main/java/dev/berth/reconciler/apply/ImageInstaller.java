package dev.berth.reconciler.apply;

import dev.berth.reconciler.model.Container;
import java.io.IOException;

/** Puts a new container's root tree in place, once; never touches an existing state directory. */
public interface ImageInstaller {

  /** Returns what it did, for the report ("unpacked ...", "kept the existing ..."). */
  String install(Container container) throws IOException;
}
