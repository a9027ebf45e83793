package multimodal.generator.inference.diffusion;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.onnx.OrtTensors;
import multimodal.generator.inference.onnx.Sessions;

/**
 * {@code vae_decoder/model.onnx}: {@code latent_sample} {@code [1, C, h, w]} (the final latents
 * divided by the VAE's scaling factor) → {@code sample} {@code [1, 3, H, W]} in −1..1, made into
 * 8-bit RGB as diffusers does ({@code round(clamp(x / 2 + 0.5, 0, 1) · 255)}, half to even) and
 * written as PNG with ImageIO. One image per run: at 512×512 the decoder's activations are large,
 * and diffusers' ONNX pipeline decodes one at a time too.
 */
final class VaeDecoder implements AutoCloseable {
  static final String LATENT_SAMPLE = "latent_sample";
  static final String SAMPLE = "sample";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final double scalingFactor;
  private final String output;

  private VaeDecoder(OrtEnvironment env, OrtSession session, double scalingFactor, String output) {
    this.env = env;
    this.session = session;
    this.scalingFactor = scalingFactor;
    this.output = output;
  }

  static VaeDecoder load(
      DiffusionExport export, OrtEnvironment env, OrtSession.SessionOptions options)
      throws OrtException {
    OrtSession session = env.createSession(export.vaeDecoder().toString(), options);
    try {
      OrtTensors.requireInputs(session, "vae_decoder/model.onnx", List.of(LATENT_SAMPLE));
      String output = OrtTensors.outputName(session, SAMPLE);
      return new VaeDecoder(env, session, export.scalingFactor(), output);
    } catch (OrtException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** Decodes row {@code row} of the latents {@code [N, C, h, w]} into PNG bytes. */
  byte[] decodePng(
      float[] latents, int row, int channels, int height, int width, GenerationControl control)
      throws OrtException {
    int rowSize = channels * height * width;
    float[] scaled = new float[rowSize];
    for (int i = 0; i < rowSize; i++) {
      scaled[i] = (float) (latents[row * rowSize + i] / scalingFactor);
    }
    try (OnnxTensor input = OrtTensors.floatTensor(env, scaled, 1, channels, height, width);
        OrtSession.Result result =
            session.run(Map.of(LATENT_SAMPLE, input), control.runOptions())) {
      OnnxTensor image = OrtTensors.output(result, output, "VAE decoder");
      long[] shape = image.getInfo().getShape();
      if (shape.length != 4 || shape[0] != 1 || shape[1] != 3) {
        throw new IllegalStateException(
            "VAE decoder output " + output + " has shape " + Arrays.toString(shape));
      }
      return png(image.getFloatBuffer(), (int) shape[2], (int) shape[3]);
    }
  }

  static byte[] png(FloatBuffer chw, int height, int width) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int plane = height * width;
    int[] rgb = new int[plane];
    for (int i = 0; i < plane; i++) {
      rgb[i] =
          level(chw.get(i)) << 16 | level(chw.get(plane + i)) << 8 | level(chw.get(2 * plane + i));
    }
    image.setRGB(0, 0, width, height, rgb, 0, width);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer in this JDK");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** −1..1 → 0..255 in float32 arithmetic, as diffusers' numpy code computes it. */
  private static int level(float value) {
    float unit = Math.max(0f, Math.min(1f, value / 2f + 0.5f));
    return (int) Math.rint(unit * 255f);
  }

  @Override
  public void close() {
    Sessions.close(session);
  }
}
