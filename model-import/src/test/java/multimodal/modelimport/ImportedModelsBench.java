package multimodal.modelimport;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Prints, for the imported models, ONNX Runtime latency (CPU, one image) and the largest difference
 * from TensorFlow.js's goldens. Run after the build has imported them:
 *
 * <pre>./mvnw -q -pl model-import test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=multimodal.modelimport.ImportedModelsBench [-Dbench.runs=20]</pre>
 */
public final class ImportedModelsBench {

  private ImportedModelsBench() {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.getInteger("bench.runs", 20);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    JsonNode cn = Golden.resource("centernet-synthetic.json");
    float[] cnInput = SyntheticInput.bytes(cn.path("seed").asInt(), 512 * 512 * 3);
    try (OrtSession s =
            env.createSession(
                VisionModels.onnx("centernet-coco").toString(), new OrtSession.SessionOptions());
        OnnxTensor x =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(cnInput), new long[] {1, 512, 512, 3})) {
      double ms = time(() -> s.run(Map.of("tower_0/images", x)).close(), runs);
      try (OrtSession.Result r = s.run(Map.of("tower_0/images", x))) {
        float[] det = flat(r, "tower_0/detections"), kp = flat(r, "tower_0/keypoints");
        double detDiff = 0, kpDiff = 0;
        for (int i = 0; i < 100; i++) {
          JsonNode g = cn.path("detections").get(i);
          for (int k = 0; k < 4; k++)
            detDiff = Math.max(detDiff, Math.abs(det[i * 6 + k] - g.path("box").get(k).asDouble()));
          detDiff = Math.max(detDiff, Math.abs(det[i * 6 + 4] - g.path("score").asDouble()));
        }
        for (JsonNode p : cn.path("keypoints"))
          kpDiff = Math.max(kpDiff, Math.abs(kp[p.get(0).asInt()] - p.get(1).asDouble()));
        System.out.printf(
            "centernet-coco 512x512: %.1f ms/image (mean of %d); max |diff| vs TF.js: detections"
                + " %.2e, heatmap sample %.2e%n",
            ms, runs, detDiff, kpDiff);
      }
    }
    JsonNode ns = Golden.resource("nsfw-synthetic.json");
    float[] nsInput = SyntheticInput.bytes(ns.path("seeds").get(0).asInt(), 224 * 224 * 3);
    for (int i = 0; i < nsInput.length; i++) nsInput[i] /= 255f;
    try (OrtSession s =
            env.createSession(
                VisionModels.onnx("nsfw-mobilenet-v2-mid").toString(),
                new OrtSession.SessionOptions());
        OnnxTensor x =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(nsInput), new long[] {1, 224, 224, 3})) {
      double ms = time(() -> s.run(Map.of("input", x)).close(), runs);
      try (OrtSession.Result r = s.run(Map.of("input", x))) {
        float[] p = flat(r, "Identity");
        double diff = 0;
        for (int k = 0; k < 5; k++)
          diff = Math.max(diff, Math.abs(p[k] - ns.path("probabilities").get(0).get(k).asDouble()));
        System.out.printf(
            "nsfw-mobilenet-v2-mid 224x224: %.1f ms/image (mean of %d); max |diff| vs TF.js:"
                + " probabilities %.2e%n",
            ms, runs, diff);
      }
    }
  }

  private interface Run {
    void run() throws Exception;
  }

  private static double time(Run r, int runs) throws Exception {
    for (int i = 0; i < 3; i++) r.run();
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) r.run();
    return (System.nanoTime() - start) / 1e6 / runs;
  }

  private static float[] flat(OrtSession.Result r, String name) throws Exception {
    FloatBuffer b = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
    float[] f = new float[b.remaining()];
    b.get(f);
    return f;
  }
}
