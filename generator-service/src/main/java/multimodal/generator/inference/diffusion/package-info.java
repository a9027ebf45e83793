/**
 * Text to image: the Stable-Diffusion-family pipeline over the diffusers/Optimum ONNX export layout
 * (CLIP text encoder, UNet, VAE decoder, CLIP BPE tokenizer, scheduler config), with
 * classifier-free guidance, Euler-discrete, DDIM and LCM schedulers computed from the scheduler
 * config, seeded noise, candidates in one batch, cancellation, deadlines and progress between
 * steps, and PNG output.
 */
package multimodal.generator.inference.diffusion;
