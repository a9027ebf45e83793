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
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && VectorPasses.LANES >= 8;

  private VectorSupport() {}

  static Passes create() {
    return new VectorPasses();
  }
}
