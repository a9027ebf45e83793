/**
 * The model-independent decoding loop: greedy and beam search over a {@code DecoderState}, logits
 * rules (repetition penalty, no-repeat n-grams), the KV cache carried between steps, and
 * cancellation and deadlines for a running generation.
 */
package multimodal.generator.inference.generation;
