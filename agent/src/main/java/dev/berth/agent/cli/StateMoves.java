package dev.berth.agent.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The state directories of migrated containers and their move to {@code /var/lib/machines}: one
 * rename each, never a copy, and never while the target exists or the container runs.
 */
final class StateMoves {
  /** Why a container's state must not move now (null: it may), as a sentence for the user. */
  interface Liveness {
    String whyRunning(String name);
  }

  enum Status {
    TO_MOVE,
    MOVED,
    NO_STATE,
    REFUSED
  }

  /** One container's state directory, where it is to go, and what became of it. */
  record Move(String name, Path from, Path to, Status status, String detail) {
    Move with(Status status, String detail) {
      return new Move(name, from, to, status, detail);
    }

    String describe() {
      return switch (status) {
        case TO_MOVE -> "move " + from + " -> " + to;
        case MOVED -> "moved " + from + " -> " + to;
        case NO_STATE -> "no state for " + name + ": " + detail;
        case REFUSED -> "not moving " + from + ": " + detail;
      };
    }
  }

  private StateMoves() {}

  /** What moving {@code name}'s state would do, looking only at the files. */
  static Move plan(String name, Path from, Path to) {
    Move move = new Move(name, from, to, Status.TO_MOVE, null);
    if (Files.isSymbolicLink(from)) {
      return move.with(Status.REFUSED, "it is a symlink; move what it points to by hand");
    }
    if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
      return move.with(Status.NO_STATE, from + " does not exist (an ephemeral container?)");
    }
    if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
      return move.with(Status.REFUSED, "not a directory");
    }
    if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
      return move.with(Status.REFUSED, to + " already exists; berth overwrites no state");
    }
    return move;
  }

  /** Moves the state if the plan allows and the container does not run. */
  static Move execute(Move planned, Liveness liveness) {
    if (planned.status() != Status.TO_MOVE) {
      return planned;
    }
    Move move = plan(planned.name(), planned.from(), planned.to());
    if (move.status() != Status.TO_MOVE) {
      return move;
    }
    String running = liveness.whyRunning(move.name());
    if (running != null) {
      return move.with(Status.REFUSED, running);
    }
    try {
      Path machines = move.to().getParent();
      if (!Files.isDirectory(machines)) {
        Files.createDirectories(
            machines,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Files.move(move.from(), move.to(), StandardCopyOption.ATOMIC_MOVE);
      return move.with(Status.MOVED, null);
    } catch (AtomicMoveNotSupportedException e) {
      return move.with(
          Status.REFUSED,
          move.to().getParent()
              + " is on another file system, and berth does not copy a container's tree; with the"
              + " container stopped: cp -a --reflink=auto "
              + move.from()
              + " "
              + move.to()
              + ", then remove "
              + move.from());
    } catch (FileSystemException e) {
      return move.with(Status.REFUSED, e.getReason() == null ? e.toString() : e.getReason());
    } catch (IOException e) {
      return move.with(Status.REFUSED, e.toString());
    }
  }
}
