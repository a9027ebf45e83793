package multimodal.media.preprocess;

/**
 * Whether the resize may use {@link VectorPasses}: the JVM resolved the incubator module {@code
 * jdk.incubator.vector} (without it, touching {@link VectorPasses} fails with {@link
 * NoClassDefFoundError}, so the module is checked first and the class named only behind it), and
 * its vectors hold at least 8 ints (AVX2, AVX-512, SVE 256+; narrower ones barely beat scalar
 * code).
 */
final class VectorSupport {
  static final boolean AVAILABLE =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && intLanes() >= 8;

  /**
   * Read without loading {@link VectorPasses}: its constants need 8 lanes, and on narrower vectors
   * (SSE, NEON, {@code -XX:MaxVectorSize=16}) its initialisation would fail instead of falling
   * back.
   */
  private static int intLanes() {
    return jdk.incubator.vector.IntVector.SPECIES_PREFERRED.length();
  }

  private VectorSupport() {}

  static Passes create() {
    return new VectorPasses();
  }
}
