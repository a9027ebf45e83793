package multimodal.generator.inference.generation;

/** One generated text with its cost. */
public record Generated(String text, int tokens, long preprocessMicros, long inferenceMicros) {}
