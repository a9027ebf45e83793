package multimodal.generator.inference.speech;

import java.util.OptionalLong;
import multimodal.generator.inference.text.TextTokenizer;

/**
 * The special tokens of a Whisper tokenizer, found by name (ids differ between the English-only and
 * the multilingual vocabularies): the prompt {@code <|startoftranscript|>} [{@code <|en|>}] {@code
 * <|transcribe|>}, the end {@code <|endoftext|>}, and the timestamps, which follow {@code
 * <|notimestamps|>} in 0.02 s steps up to 30 s.
 *
 * @param language {@code <|en|>} for a multilingual model; empty for an English-only one, whose
 *     prompt has no language or task token
 */
record WhisperTokens(
    long startOfTranscript,
    OptionalLong language,
    OptionalLong transcribe,
    long noTimestamps,
    long endOfText,
    long timestampBegin) {
  /** Timestamps are 0.02 s apart. */
  static final int MILLIS_PER_TIMESTAMP = 20;

  static WhisperTokens of(TextTokenizer tokenizer, boolean multilingual) {
    long noTimestamps = require(tokenizer, "<|notimestamps|>");
    long timestampBegin = noTimestamps + 1;
    OptionalLong zero = tokenizer.id("<|0.00|>");
    if (zero.isPresent() && zero.getAsLong() != timestampBegin) {
      throw new IllegalStateException(
          "tokenizer.json: <|0.00|> is "
              + zero.getAsLong()
              + ", not right after <|notimestamps|> ("
              + noTimestamps
              + ") as in Whisper's vocabulary");
    }
    return new WhisperTokens(
        require(tokenizer, "<|startoftranscript|>"),
        multilingual ? OptionalLong.of(require(tokenizer, "<|en|>")) : OptionalLong.empty(),
        multilingual ? OptionalLong.of(require(tokenizer, "<|transcribe|>")) : OptionalLong.empty(),
        noTimestamps,
        require(tokenizer, "<|endoftext|>"),
        timestampBegin);
  }

  /** What the decoder is fed first: transcribe English, with timestamps. */
  long[] prompt() {
    if (language.isEmpty()) {
      return new long[] {startOfTranscript};
    }
    return new long[] {startOfTranscript, language.getAsLong(), transcribe.getAsLong()};
  }

  boolean isTimestamp(long token) {
    return token >= timestampBegin;
  }

  /** Milliseconds from the window's start that a timestamp token stands for. */
  long millis(long token) {
    return (token - timestampBegin) * MILLIS_PER_TIMESTAMP;
  }

  private static long require(TextTokenizer tokenizer, String token) {
    return tokenizer
        .id(token)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "tokenizer.json has no " + token + ": not a Whisper tokenizer"));
  }
}
