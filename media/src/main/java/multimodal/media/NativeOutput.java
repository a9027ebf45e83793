package multimodal.media;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Native memory for a decoder to write pixels into, then read once into a Java array. JNA passes a
 * {@code byte[]} argument by allocating native memory, copying the array in, calling, copying it
 * back and freeing: for a 12-MP photograph two 36 MB copies and fresh pages to fault in on every
 * call. Here the pixels are copied once, out, and each thread keeps its buffer for the next image,
 * up to {@link #KEPT_BYTES}; a larger image gets memory of its own, freed after reading.
 *
 * <p>Only JNA calls that every JNA 5 has ({@code Native.malloc}/{@code free}, {@code Memory}): the
 * services' classpaths resolve older JNA versions than media's (5.8 in encoder-service's tests).
 */
final class NativeOutput implements AutoCloseable {
  /**
   * The most a thread keeps between images: a 4-MP RGB picture (a 12-MP one is freed after use).
   */
  static final long KEPT_BYTES = 12L << 20;

  /**
   * A thread's kept buffer; when it grows, the old one is freed by JNA's cleaner with its object.
   */
  private static final ThreadLocal<Memory> KEPT = new ThreadLocal<>();

  private final Pointer pointer;
  private final long ownPeer;

  private NativeOutput(Pointer pointer, long ownPeer) {
    this.pointer = pointer;
    this.ownPeer = ownPeer;
  }

  /** At least {@code size} bytes; close it after reading. */
  static NativeOutput acquire(long size) {
    if (size > KEPT_BYTES) {
      long peer = Native.malloc(size);
      if (peer == 0) {
        throw new OutOfMemoryError("cannot allocate " + size + " bytes of native memory");
      }
      return new NativeOutput(new Pointer(peer), peer);
    }
    Memory kept = KEPT.get();
    if (kept == null || kept.size() < size) {
      kept = new Memory(Math.max(size, 1 << 20));
      KEPT.set(kept);
    }
    return new NativeOutput(kept, 0);
  }

  Pointer pointer() {
    return pointer;
  }

  /** The first {@code size} bytes, into a new array. */
  byte[] read(int size) {
    byte[] out = new byte[size];
    pointer.read(0, out, 0, size);
    return out;
  }

  /** The first {@code size} bytes, into {@code out}. */
  void readInto(byte[] out, int size) {
    pointer.read(0, out, 0, size);
  }

  /** Frees memory of its own; the thread's kept buffer stays for the next image. */
  @Override
  public void close() {
    if (ownPeer != 0) {
      Native.free(ownPeer);
    }
  }
}
