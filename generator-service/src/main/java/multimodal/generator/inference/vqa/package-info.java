/**
 * Visual question answering with SmolVLM: the {@code VqaModel} contract, the image splitting and
 * pixel preparation of the Idefics3 processor, and the decoder step state that feeds image features
 * into the prompt embeddings.
 */
package multimodal.generator.inference.vqa;
