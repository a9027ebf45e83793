/**
 * Text on the way in and out of the models: the Hugging Face tokenizer wrapper used to encode
 * prompts and decode generated ids, and OCR of printed text in images with Tesseract.
 */
package multimodal.generator.inference.text;
