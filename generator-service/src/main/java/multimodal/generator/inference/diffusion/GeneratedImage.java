package multimodal.generator.inference.diffusion;

/**
 * One generated candidate.
 *
 * @param index its place among the request's candidates, from 0
 * @param seed the seed that reproduces it alone (request seed + index)
 * @param png the image, PNG-encoded
 */
public record GeneratedImage(int index, long seed, int width, int height, byte[] png) {}
