package multimodal.generator.inference.vision;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.onnx.ModelProto;
import multimodal.onnx.OnnxModels;

/**
 * CenterNet (MobileNetV3, COCO) object tags, fed as @vladmandic/human feeds it: the decoded RGB
 * image stretched to the model's square input with {@code tf.image.resizeBilinear} defaults ({@link
 * TfBilinearResize}, no aspect ratio kept), values 0..255 as float, NHWC. Rows become tags in
 * {@link CenterNetDecoder}. Thread-safe (ONNX Runtime sessions are).
 *
 * <p>Small inputs: stretching a 64x64 thumbnail to the model's 512x512 adds no detail but costs the
 * full convolution (about 56 ms of one core, against 5 ms at 128x128). With {@code smallInputs},
 * the graph is also loaded rewritten for those sizes ({@link CenterNetInputSize}), and an image
 * whose longer side fits one of them goes to the smallest that does; larger images get the model's
 * own input as before.
 */
public final class ObjectDetector extends VisionModel {
  private static final float[] PIXEL_VALUES = TfBilinearResize.identityValues();

  /** The graph's post-processed rows; its other outputs (heatmap, sizes) are not needed. */
  static final String DETECTIONS = "tower_0/detections";

  /** One input size: its session and the decoder that turns its pixels into fractions. */
  private record Input(VisionSession session, CenterNetDecoder decoder) {
    int size() {
      return session.width();
    }
  }

  /** Ascending by size; the last is the model's own input. */
  private final List<Input> inputs;

  private ObjectDetector(VisionModelDir dir, VisionSession session, List<VisionSession> small) {
    super(dir, session);
    List<Input> all = new ArrayList<>();
    for (VisionSession each : small) {
      all.add(new Input(each, new CenterNetDecoder(dir.labels(), each.width())));
    }
    all.add(new Input(session, new CenterNetDecoder(dir.labels(), session.width())));
    this.inputs = List.copyOf(all);
  }

  /** The detector at the model's own input size only. */
  public static ObjectDetector load(
      VisionModelDir dir, OrtEnvironment env, OrtSession.SessionOptions options)
      throws OrtException {
    return load(dir, env, options, List.of());
  }

  /**
   * The detector at its own input size and at each of {@code smallInputs} (multiples of 32 below
   * it; an image goes to the smallest input its longer side fits in).
   *
   * @throws IllegalArgumentException when a size is not allowed or the graph cannot be rewritten
   */
  public static ObjectDetector load(
      VisionModelDir dir,
      OrtEnvironment env,
      OrtSession.SessionOptions options,
      List<Integer> smallInputs)
      throws OrtException {
    VisionSession session = VisionSession.open(dir, env, options, DETECTIONS);
    List<VisionSession> small = new ArrayList<>();
    try {
      if (session.height() != session.width()) {
        throw new IllegalStateException(
            dir.model().toAbsolutePath()
                + ": CenterNet input must be square, is "
                + session.height()
                + "x"
                + session.width());
      }
      if (!smallInputs.isEmpty()) {
        ModelProto model = read(dir);
        for (int size : smallInputs.stream().sorted().distinct().toList()) {
          byte[] rewritten =
              CenterNetInputSize.resize(model, session.inputName(), size).toByteArray();
          small.add(VisionSession.open(dir, env, options, DETECTIONS, rewritten));
        }
      }
      return new ObjectDetector(dir, session, small);
    } catch (OrtException | RuntimeException e) {
      small.forEach(VisionSession::close);
      session.close();
      throw e;
    }
  }

  private static ModelProto read(VisionModelDir dir) {
    try {
      return OnnxModels.parse(UnsafeByteOperations.unsafeWrap(Files.readAllBytes(dir.model())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.model().toAbsolutePath(), e);
    }
  }

  /** The input sizes this detector runs at, ascending; the last is the model's own. */
  public List<Integer> inputSizes() {
    return inputs.stream().map(Input::size).toList();
  }

  /** The side of the square input {@code image} is stretched to. */
  public int inputSize(RgbPixels image) {
    return inputFor(image).size();
  }

  private Input inputFor(RgbPixels image) {
    int longer = Math.max(image.width(), image.height());
    for (Input input : inputs) {
      if (longer <= input.size()) {
        return input;
      }
    }
    return inputs.get(inputs.size() - 1);
  }

  /**
   * The input the model gets for one image: {@code [size, size, 3]} floats (for checks and tests).
   */
  public float[] preprocess(RgbPixels image) {
    return input(inputFor(image).session(), image, ObjectDetector::write);
  }

  private static void write(VisionSession session, RgbPixels image, float[] pixels, int offset) {
    TfBilinearResize.resize(
        image, session.height(), session.width(), false, PIXEL_VALUES, pixels, offset);
  }

  /**
   * Tags per image, in order; each list best first. Images of one input size go in one run when the
   * graph's batch is dynamic.
   */
  public List<List<Detection>> detect(List<RgbPixels> images, DetectionSettings settings)
      throws OrtException {
    Map<Input, List<Integer>> byInput = new LinkedHashMap<>();
    for (int i = 0; i < images.size(); i++) {
      byInput.computeIfAbsent(inputFor(images.get(i)), input -> new ArrayList<>()).add(i);
    }
    List<List<Detection>> results = new ArrayList<>(Collections.nCopies(images.size(), null));
    for (Map.Entry<Input, List<Integer>> group : byInput.entrySet()) {
      Input input = group.getKey();
      List<Integer> indices = group.getValue();
      List<float[]> outputs =
          runEach(
              input.session(), indices.stream().map(images::get).toList(), ObjectDetector::write);
      for (int i = 0; i < indices.size(); i++) {
        results.set(indices.get(i), decode(input, outputs.get(i), settings));
      }
    }
    return results;
  }

  private List<Detection> decode(Input input, float[] rows, DetectionSettings settings) {
    if (rows.length % CenterNetDecoder.ROW != 0) {
      throw new IllegalStateException(
          dir.model().toAbsolutePath()
              + ": detections have "
              + rows.length
              + " values per image, not rows of "
              + CenterNetDecoder.ROW);
    }
    return input.decoder().decode(rows, 0, rows.length / CenterNetDecoder.ROW, settings);
  }

  /** Class names in class-index order. */
  public List<String> labels() {
    return dir.labels();
  }

  @Override
  public void close() {
    inputs.forEach(input -> input.session().close());
  }
}
