/**
 * Speech as text: audio files decoded to 16 kHz mono PCM by Debian's FFmpeg as a bounded subprocess
 * ({@link multimodal.generator.inference.speech.AudioDecoder}) and transcribed with word times by a
 * {@link multimodal.generator.inference.speech.SpeechRecognizer}; the one shipped is PocketSphinx's
 * US-English model through its command-line tool (docs/adr/0017). Plain Java, no Quarkus.
 */
package multimodal.generator.inference.speech;
