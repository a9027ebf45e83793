package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;
import multimodal.onnx.TensorProto;

/**
 * A tiny Stable-Diffusion-style export in the diffusers/Optimum ONNX layout ({@code
 * model_index.json}, {@code text_encoder/model.onnx}, {@code unet/model.onnx}, {@code
 * vae_decoder/model.onnx}, {@code tokenizer/}, {@code scheduler/scheduler_config.json}) with the
 * real tensor interface, whose pictures follow the colour and shape words of the prompt. It is a
 * <b>fixture</b>: no weights were trained; each graph is a fixed formula that the production
 * pipeline runs exactly as it would run a real export.
 *
 * <ul>
 *   <li>text encoder ({@code input_ids} int32 {@code [B, 77]} → {@code last_hidden_state} {@code
 *       [B, 77, 768]}, {@code pooler_output} {@code [B, 768]}): each position's vector is the row
 *       of its token if the token is a colour word ({@link #COLOURS}: dims 0..3 = that colour minus
 *       the background in latent space) or a shape word (dim 4 square, dim 5 circle), else zero.
 *       The token ids are looked up in the real CLIP {@code tokenizer.json} that ships with the
 *       fixture, never hard-coded.
 *   <li>UNet ({@code sample} {@code [B, 4, h, w]}, {@code timestep}, {@code encoder_hidden_states}
 *       → {@code out_sample}): an analytic denoiser. From the summed hidden states it draws the
 *       target latent {@code x0}: the {@link #BACKGROUND} everywhere plus the colour inside a
 *       centred square (side half the image) or circle (diameter half the image). It believes the
 *       clean picture is {@code x̂0 = x0 + κ · sample} ({@link #SAMPLE_LEAK} κ: a slightly wrong
 *       model, so the initial noise leaves a trace and different seeds give different pixels) and
 *       predicts the noise {@code ε = (sample − √ᾱ_t · x̂0) / √(1 − ᾱ_t)}, with {@code ᾱ_t} looked
 *       up in its own copy of the training schedule (scaled-linear betas 0.00085–0.012 over 1000
 *       steps, as SD 1.x) at {@code round(timestep)}. A scheduler that follows the same schedule
 *       therefore lands on (about) {@code x0}; classifier-free guidance pushes the colour further
 *       from the background (the unconditional target is the plain background).
 *   <li>VAE decoder ({@code latent_sample} {@code [B, 4, h, w]} → {@code sample} {@code [B, 3, 8h,
 *       8w]}): latent channels 0..2 times the scaling factor (undoing the pipeline's division by
 *       it), each latent cell repeated over 8×8 pixels (nearest {@code Resize}).
 * </ul>
 *
 * <p>The timestep input is float or int64 (both occur in real exports); the pipeline must read
 * which. Generation is deterministic: the same bytes every time.
 */
public final class DiffusionFixture {
  public static final String VERSION = "fixture-diffusion-colour-shape-1";
  public static final int SEQUENCE = 77;
  public static final int HIDDEN = 768;
  public static final int LATENT_CHANNELS = 4;
  public static final int TRAIN_TIMESTEPS = 1000;
  public static final double BETA_START = 0.00085;
  public static final double BETA_END = 0.012;
  public static final float SCALING_FACTOR = 0.18215f;

  /** RGB in the VAE's −1..1 range of the background: a light grey, so noise shows. */
  public static final float[] BACKGROUND = {0.5f, 0.5f, 0.5f};

  /** Colour words and their RGB in −1..1. */
  public static final Map<String, float[]> COLOURS = colours();

  /** Shape words, in the order of their dims from {@link #SHAPE_DIM}. */
  public static final List<String> SHAPES = List.of("square", "circle");

  public static final int SHAPE_DIM = 4;

  /** How much of the current sample the UNet mistakes for picture (see the class doc). */
  public static final float SAMPLE_LEAK = 0.2f;

  private static final int INT32 = TensorProto.DataType.INT32_VALUE;
  private static final String TOKENIZER_RESOURCE = "/clip/tokenizer.json";
  private static final String TOKENIZER_CONFIG_RESOURCE = "/clip/tokenizer_config.json";

  private final boolean floatTimestep;
  private final String schedulerClass;

  /**
   * @param floatTimestep the UNet's {@code timestep} input is float (else int64)
   * @param schedulerClass {@code _class_name} of the scheduler config (e.g. {@code
   *     EulerDiscreteScheduler}, {@code DDIMScheduler})
   */
  public DiffusionFixture(boolean floatTimestep, String schedulerClass) {
    this.floatTimestep = floatTimestep;
    this.schedulerClass = schedulerClass;
  }

  /** Writes (or refreshes) {@code <outDir>/<name>/} and returns that directory. */
  public Path write(Path outDir, String name) {
    Path dir = outDir.resolve(name);
    FixtureModels.writeIfChanged(dir, files());
    return dir;
  }

  /** The files of the export directory, by relative path, in a fixed order. */
  public Map<String, byte[]> files() {
    byte[] tokenizer = resource(TOKENIZER_RESOURCE);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("model_index.json", modelIndex());
    files.put("text_encoder/model.onnx", textEncoder(wordTokenIds(tokenizer)));
    files.put("unet/model.onnx", unet());
    files.put("vae_decoder/model.onnx", vaeDecoder());
    files.put(
        "vae_decoder/config.json", FixtureJson.write(Map.of("scaling_factor", SCALING_FACTOR)));
    files.put("tokenizer/tokenizer.json", tokenizer);
    files.put("tokenizer/tokenizer_config.json", resource(TOKENIZER_CONFIG_RESOURCE));
    files.put("scheduler/scheduler_config.json", schedulerConfig());
    return files;
  }

  private byte[] modelIndex() {
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("_class_name", "OnnxStableDiffusionPipeline");
    index.put("_diffusers_version", "0.27.0");
    index.put("fixture", true);
    index.put("model_version", VERSION);
    index.put("scheduler", List.of("diffusers", schedulerClass));
    index.put("text_encoder", List.of("optimum", "ORTModelForFeatureExtraction"));
    index.put("tokenizer", List.of("transformers", "CLIPTokenizer"));
    index.put("unet", List.of("optimum", "ORTModelForUNet"));
    index.put("vae_decoder", List.of("optimum", "ORTModelForVaeDecoder"));
    return FixtureJson.write(index);
  }

  private byte[] schedulerConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("_class_name", schedulerClass);
    config.put("beta_end", BETA_END);
    config.put("beta_schedule", "scaled_linear");
    config.put("beta_start", BETA_START);
    config.put("clip_sample", false);
    config.put("num_train_timesteps", TRAIN_TIMESTEPS);
    config.put("prediction_type", "epsilon");
    config.put("set_alpha_to_one", false);
    config.put("steps_offset", 1);
    config.put("timestep_spacing", "leading");
    return FixtureJson.write(config);
  }

  /** {@code input_ids} int32 {@code [B, 77]} → per-position word vectors. */
  byte[] textEncoder(long[] tokenIds) {
    int k = tokenIds.length;
    float[] rows = new float[k * HIDDEN];
    int row = 0;
    for (float[] rgb : COLOURS.values()) {
      for (int c = 0; c < 3; c++) {
        rows[row * HIDDEN + c] = rgb[c] - BACKGROUND[c];
      }
      row++;
    }
    for (int shape = 0; shape < SHAPES.size(); shape++) {
      rows[row++ * HIDDEN + SHAPE_DIM + shape] = 1f;
    }
    OnnxModelWriter graph =
        new OnnxModelWriter("diffusion_fixture_text_encoder")
            .input("input_ids", INT32, "batch_size", "sequence_length")
            .output("last_hidden_state", FLOAT, "batch_size", "sequence_length", HIDDEN)
            .output("pooler_output", FLOAT, "batch_size", HIDDEN)
            .longInitializer("word_token_ids", new long[] {k}, tokenIds)
            .longInitializer("axis_2", new long[] {1}, new long[] {2})
            .floatInitializer("word_rows", new long[] {k, HIDDEN}, rows)
            .node("Cast", List.of("input_ids"), List.of("ids64"), Attribute.of("to", (long) INT64))
            .node("Unsqueeze", List.of("ids64", "axis_2"), List.of("ids_column"))
            .node("Equal", List.of("ids_column", "word_token_ids"), List.of("hits"))
            .node("Cast", List.of("hits"), List.of("hits_float"), Attribute.of("to", (long) FLOAT))
            .node("MatMul", List.of("hits_float", "word_rows"), List.of("last_hidden_state"))
            .node(
                "ReduceMean",
                List.of("last_hidden_state"),
                List.of("pooler_output"),
                Attribute.ints("axes", 1),
                Attribute.of("keepdims", 0L));
    return graph.toByteArray();
  }

  byte[] unet() {
    OnnxModelWriter graph =
        new OnnxModelWriter("diffusion_fixture_unet")
            .input("sample", FLOAT, "batch_size", LATENT_CHANNELS, "height", "width")
            .input("timestep", floatTimestep ? FLOAT : INT64, "steps")
            .input("encoder_hidden_states", FLOAT, "batch_size", "sequence_length", HIDDEN)
            .output("out_sample", FLOAT, "batch_size", LATENT_CHANNELS, "height", "width");
    float[] background = new float[LATENT_CHANNELS];
    System.arraycopy(BACKGROUND, 0, background, 0, 3);
    scalar(graph, "half", 0.5f);
    scalar(graph, "quarter", 0.25f);
    scalar(graph, "one", 1f);
    scalar(graph, "two", 2f);
    scalar(graph, "zero", 0f);
    scalar(graph, "leak", SAMPLE_LEAK);
    graph
        .floatInitializer("alphas_cumprod", new long[] {TRAIN_TIMESTEPS}, alphasCumprod())
        .floatInitializer("background", new long[] {1, LATENT_CHANNELS, 1, 1}, background)
        .longInitializer("axis_1", new long[] {1}, new long[] {1})
        .longInitializer("axis_0", new long[] {1}, new long[] {0})
        .longInitializer("axes_23", new long[] {2}, new long[] {2, 3})
        .longInitializer("colour_start", new long[] {1}, new long[] {0})
        .longInitializer("colour_end", new long[] {1}, new long[] {LATENT_CHANNELS})
        .longInitializer("square_start", new long[] {1}, new long[] {SHAPE_DIM})
        .longInitializer("square_end", new long[] {1}, new long[] {SHAPE_DIM + 1})
        .longInitializer("circle_end", new long[] {1}, new long[] {SHAPE_DIM + 2})
        .longInitializer("index_h", new long[] {}, new long[] {2})
        .longInitializer("index_w", new long[] {}, new long[] {3})
        .longInitializer("range_start", new long[] {}, new long[] {0})
        .longInitializer("range_step", new long[] {}, new long[] {1})
        .longInitializer("column_shape", new long[] {4}, new long[] {-1, 1, 1, 1})
        // What the prompt asks for: colour (minus background) and shape weights, [B, 1.., 1, 1].
        .node(
            "ReduceSum",
            List.of("encoder_hidden_states", "axis_1"),
            List.of("words"),
            Attribute.of("keepdims", 0L))
        .node("Slice", List.of("words", "colour_start", "colour_end", "axis_1"), List.of("colour"))
        .node("Unsqueeze", List.of("colour", "axes_23"), List.of("colour_4d"))
        .node("Slice", List.of("words", "square_start", "square_end", "axis_1"), List.of("square"))
        .node("Unsqueeze", List.of("square", "axes_23"), List.of("square_4d"))
        .node("Slice", List.of("words", "square_end", "circle_end", "axis_1"), List.of("circle"))
        .node("Unsqueeze", List.of("circle", "axes_23"), List.of("circle_4d"));
    // Cell centres in −1..1 along each latent axis: u = (i + 0.5) / n · 2 − 1.
    graph.node("Shape", List.of("sample"), List.of("sample_shape"));
    coordinates(graph, "index_h", "y", 1);
    coordinates(graph, "index_w", "x", 0);
    graph
        // Square: max(|u|, |v|) < 0.5; circle: u² + v² < 0.25.
        .node("Abs", List.of("y_column"), List.of("y_abs"))
        .node("Abs", List.of("x_row"), List.of("x_abs"))
        .node("Max", List.of("y_abs", "x_abs"), List.of("chebyshev"))
        .node("Less", List.of("chebyshev", "half"), List.of("in_square"))
        .node(
            "Cast", List.of("in_square"), List.of("square_mask"), Attribute.of("to", (long) FLOAT))
        .node("Mul", List.of("y_column", "y_column"), List.of("y_squared"))
        .node("Mul", List.of("x_row", "x_row"), List.of("x_squared"))
        .node("Add", List.of("y_squared", "x_squared"), List.of("radius_squared"))
        .node("Less", List.of("radius_squared", "quarter"), List.of("in_circle"))
        .node(
            "Cast", List.of("in_circle"), List.of("circle_mask"), Attribute.of("to", (long) FLOAT))
        .node("Mul", List.of("square_4d", "square_mask"), List.of("square_part"))
        .node("Mul", List.of("circle_4d", "circle_mask"), List.of("circle_part"))
        .node("Add", List.of("square_part", "circle_part"), List.of("shape_sum"))
        .node("Clip", List.of("shape_sum", "zero", "one"), List.of("mask")) // [B,1,h,w]
        .node("Mul", List.of("mask", "colour_4d"), List.of("painted"))
        .node("Add", List.of("background", "painted"), List.of("target"))
        // x̂0 = x0 + κ·sample; ε = (sample − √ᾱ x̂0) / √(1 − ᾱ).
        .node("Mul", List.of("sample", "leak"), List.of("leaked"))
        .node("Add", List.of("target", "leaked"), List.of("believed"));
    if (floatTimestep) {
      graph
          .node("Round", List.of("timestep"), List.of("timestep_rounded"))
          .node(
              "Cast",
              List.of("timestep_rounded"),
              List.of("timestep_index"),
              Attribute.of("to", (long) INT64));
    } else {
      graph.node("Identity", List.of("timestep"), List.of("timestep_index"));
    }
    graph
        .node(
            "Gather",
            List.of("alphas_cumprod", "timestep_index"),
            List.of("alpha_bar"),
            Attribute.of("axis", 0L))
        .node("Reshape", List.of("alpha_bar", "column_shape"), List.of("alpha_bar_4d"))
        .node("Sqrt", List.of("alpha_bar_4d"), List.of("signal"))
        .node("Sub", List.of("one", "alpha_bar_4d"), List.of("noise_variance"))
        .node("Sqrt", List.of("noise_variance"), List.of("noise_scale"))
        .node("Mul", List.of("signal", "believed"), List.of("signal_part"))
        .node("Sub", List.of("sample", "signal_part"), List.of("noise_part"))
        .node("Div", List.of("noise_part", "noise_scale"), List.of("out_sample"));
    return graph.toByteArray();
  }

  /**
   * Writes {@code <name>_column} ({@code [n, 1]}) or {@code <name>_row} ({@code [1, n]}): cell
   * centres in −1..1 along the axis at {@code index} of {@code sample_shape}.
   */
  private static void coordinates(
      OnnxModelWriter graph, String index, String name, long unsqueezeAxis) {
    String axis = unsqueezeAxis == 1 ? "axis_1" : "axis_0";
    graph
        .node(
            "Gather",
            List.of("sample_shape", index),
            List.of(name + "_size"),
            Attribute.of("axis", 0L))
        .node(
            "Range",
            List.of("range_start", name + "_size", "range_step"),
            List.of(name + "_indices"))
        .node(
            "Cast",
            List.of(name + "_indices"),
            List.of(name + "_float"),
            Attribute.of("to", (long) FLOAT))
        .node(
            "Cast", List.of(name + "_size"), List.of(name + "_n"), Attribute.of("to", (long) FLOAT))
        .node("Add", List.of(name + "_float", "half"), List.of(name + "_centre"))
        .node("Div", List.of(name + "_centre", name + "_n"), List.of(name + "_unit"))
        .node("Mul", List.of(name + "_unit", "two"), List.of(name + "_double"))
        .node("Sub", List.of(name + "_double", "one"), List.of(name + "_signed"))
        .node(
            "Unsqueeze",
            List.of(name + "_signed", axis),
            List.of(name + (unsqueezeAxis == 1 ? "_column" : "_row")));
  }

  /** {@code latent_sample} → {@code sample}: channels 0..2 × scaling factor, 8× nearest. */
  byte[] vaeDecoder() {
    float[] weights = new float[3 * LATENT_CHANNELS];
    for (int c = 0; c < 3; c++) {
      weights[c * LATENT_CHANNELS + c] = SCALING_FACTOR;
    }
    OnnxModelWriter graph =
        new OnnxModelWriter("diffusion_fixture_vae_decoder")
            .input(
                "latent_sample",
                FLOAT,
                "batch_size",
                LATENT_CHANNELS,
                "latent_height",
                "latent_width")
            .output("sample", FLOAT, "batch_size", 3, "height", "width")
            .floatInitializer("to_rgb", new long[] {3, LATENT_CHANNELS, 1, 1}, weights)
            .floatInitializer("scales", new long[] {4}, new float[] {1, 1, 8, 8})
            .node("Conv", List.of("latent_sample", "to_rgb"), List.of("rgb_latent"))
            // Resize's defaults are mode "nearest" with half-pixel centres: each latent cell
            // becomes an 8×8 block for an integer scale.
            .node("Resize", List.of("rgb_latent", "", "scales"), List.of("sample"));
    return graph.toByteArray();
  }

  /** ᾱ_t of scaled-linear betas (SD 1.x's training schedule), in double, stored as float. */
  static float[] alphasCumprod() {
    float[] out = new float[TRAIN_TIMESTEPS];
    double product = 1;
    double from = Math.sqrt(BETA_START);
    double to = Math.sqrt(BETA_END);
    for (int t = 0; t < TRAIN_TIMESTEPS; t++) {
      double root = from + (to - from) * t / (TRAIN_TIMESTEPS - 1);
      product *= 1 - root * root;
      out[t] = (float) product;
    }
    return out;
  }

  /** Token ids of the colour words, then the shape words, from the tokenizer's vocabulary. */
  static long[] wordTokenIds(byte[] tokenizerJson) {
    JsonNode vocab;
    try {
      vocab = new ObjectMapper().readTree(tokenizerJson).path("model").path("vocab");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> words = new java.util.ArrayList<>(COLOURS.keySet());
    words.addAll(SHAPES);
    long[] ids = new long[words.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonNode id = vocab.get(words.get(i) + "</w>"); // CLIP BPE marks a word's end with </w>
      if (id == null) {
        throw new IllegalStateException("CLIP vocabulary has no whole word " + words.get(i));
      }
      ids[i] = id.asLong();
    }
    return ids;
  }

  private static void scalar(OnnxModelWriter graph, String name, float value) {
    graph.floatInitializer(name, new long[] {}, new float[] {value});
  }

  private static Map<String, float[]> colours() {
    Map<String, float[]> colours = new LinkedHashMap<>();
    colours.put("red", new float[] {1, -1, -1});
    colours.put("green", new float[] {-1, 1, -1});
    colours.put("blue", new float[] {-1, -1, 1});
    colours.put("yellow", new float[] {1, 1, -1});
    colours.put("black", new float[] {-1, -1, -1});
    return java.util.Collections.unmodifiableMap(colours);
  }

  /** A devkit resource's bytes (the CLIP tokenizer files the diffusion exports ship). */
  static byte[] resource(String name) {
    try (InputStream in = DiffusionFixture.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing devkit resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
