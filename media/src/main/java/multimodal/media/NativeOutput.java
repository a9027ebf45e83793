package multimodal.media;

import com.sun.jna.Memory;

/**
 * Native memory for a decoder to write pixels into, then read once into a Java array. JNA passes a
 * {@code byte[]} argument by allocating native memory, copying the array in, calling, copying it
 * back and freeing: for a 12-MP photograph two 36 MB copies and fresh pages to fault in on every
 * call, a third of the decode's time. Here the pixels are copied once, out, and each thread keeps
 * its buffer for the next image, up to {@link #KEPT_BYTES}; a larger image gets a buffer of its
 * own.
 */
final class NativeOutput {
  /**
   * The most a thread keeps between images: a 4-MP RGB picture (a 12-MP one is freed after use).
   */
  static final long KEPT_BYTES = 12L << 20;

  private static final ThreadLocal<Memory> KEPT = new ThreadLocal<>();

  private NativeOutput() {}

  /** At least {@code size} bytes; {@link #release} it after reading. */
  static Memory acquire(long size) {
    if (size > KEPT_BYTES) {
      return new Memory(size);
    }
    Memory kept = KEPT.get();
    if (kept == null || kept.size() < size) {
      if (kept != null) {
        kept.close();
      }
      kept = new Memory(Math.max(size, 1 << 20));
      KEPT.set(kept);
    }
    return kept;
  }

  /** Frees a buffer that is not the thread's kept one. */
  static void release(Memory memory) {
    if (memory != KEPT.get()) {
      memory.close();
    }
  }

  /** The first {@code size} bytes, into a new array. */
  static byte[] read(Memory memory, int size) {
    byte[] out = new byte[size];
    memory.read(0, out, 0, size);
    return out;
  }
}
