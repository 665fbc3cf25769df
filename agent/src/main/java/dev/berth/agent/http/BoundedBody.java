package dev.berth.agent.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;

/**
 * Reads a request body up to a limit without blocking: each chunk as it arrives, and a demand for
 * the next, so that a client trickling its body holds a connection, never a thread.
 */
final class BoundedBody {
  /** What becomes of the read: the whole body, or why there is none. */
  interface Outcome {
    void body(byte[] body);

    void tooLarge();

    void unreadable();
  }

  private final Content.Source source;
  private final int limit;
  private final Outcome outcome;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private BoundedBody(Content.Source source, int limit, Outcome outcome) {
    this.source = source;
    this.limit = limit;
    this.outcome = outcome;
  }

  static void read(Content.Source source, int limit, Outcome outcome) {
    new BoundedBody(source, limit, outcome).next();
  }

  private void next() {
    while (true) {
      Content.Chunk chunk = source.read();
      if (chunk == null) {
        source.demand(this::next);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        outcome.unreadable();
        return;
      }
      ByteBuffer buffer = chunk.getByteBuffer();
      boolean last = chunk.isLast();
      if (bytes.size() + buffer.remaining() > limit) {
        chunk.release();
        outcome.tooLarge();
        return;
      }
      byte[] part = new byte[buffer.remaining()];
      buffer.get(part);
      bytes.write(part, 0, part.length);
      chunk.release();
      if (last) {
        outcome.body(bytes.toByteArray());
        return;
      }
    }
  }
}
