package multimodal.generator.inference.speech;

/**
 * Which recogniser produced a transcript, as the transcript event names it.
 *
 * @param name e.g. {@code pocketsphinx-en-us}
 * @param version the engine's and model's version, e.g. the Debian package version
 * @param language BCP 47 tag of the model's language, e.g. {@code en-US}
 * @param fixture true for a generated test model rather than real trained weights
 */
public record RecognizerInfo(String name, String version, String language, boolean fixture) {}
