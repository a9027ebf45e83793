/**
 * Image input for the captioning and answering models: decoding uploaded bytes and the
 * Pillow-compatible resize and normalisation that turns an image into a pixel tensor.
 */
package multimodal.generator.inference.image;
