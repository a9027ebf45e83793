/**
 * Image captioning models: the {@code CaptionModel} contract and its two families, ViT-GPT2 (ViT
 * encoder, GPT-2 merged decoder whose cross-attention is split into a prelude) and Florence-2
 * (vision encoder, text encoder and merged decoder driven by a task prompt), plus the
 * encoder-decoder step state both decode through.
 */
package multimodal.generator.inference.caption;
