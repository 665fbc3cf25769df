package dev.berth.reconciler.model;

/** SipHash-2-4 with a 128-bit key, as systemd computes it (little-endian words). */
final class SipHash24 {
  private SipHash24() {}

  static long hash(byte[] key, byte[] data) {
    long k0 = word(key, 0, 8);
    long k1 = word(key, 8, 8);
    long v0 = 0x736f6d6570736575L ^ k0;
    long v1 = 0x646f72616e646f6dL ^ k1;
    long v2 = 0x6c7967656e657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    int whole = data.length - data.length % 8;
    long[] v = {v0, v1, v2, v3};
    for (int i = 0; i < whole; i += 8) {
      long m = word(data, i, 8);
      v[3] ^= m;
      rounds(v, 2);
      v[0] ^= m;
    }
    long last = ((long) data.length & 0xff) << 56 | word(data, whole, data.length - whole);
    v[3] ^= last;
    rounds(v, 2);
    v[0] ^= last;
    v[2] ^= 0xff;
    rounds(v, 4);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
  }

  /** Up to 8 bytes from {@code offset}, little-endian. */
  private static long word(byte[] bytes, int offset, int length) {
    long out = 0;
    for (int i = 0; i < length; i++) {
      out |= (bytes[offset + i] & 0xffL) << (8 * i);
    }
    return out;
  }

  private static void rounds(long[] v, int count) {
    for (int i = 0; i < count; i++) {
      v[0] += v[1];
      v[1] = Long.rotateLeft(v[1], 13);
      v[1] ^= v[0];
      v[0] = Long.rotateLeft(v[0], 32);
      v[2] += v[3];
      v[3] = Long.rotateLeft(v[3], 16);
      v[3] ^= v[2];
      v[0] += v[3];
      v[3] = Long.rotateLeft(v[3], 21);
      v[3] ^= v[0];
      v[2] += v[1];
      v[1] = Long.rotateLeft(v[1], 17);
      v[1] ^= v[2];
      v[2] = Long.rotateLeft(v[2], 32);
    }
  }
}
