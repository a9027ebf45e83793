package multimodal.modelimport.convert;

import multimodal.modelimport.tfjs.TfNode;

/**
 * Kernel, stride, dilation and padding of a 2-D convolution or pooling window, with TensorFlow's
 * padding turned into explicit ONNX pads. TF's SAME puts the odd extra pixel at the bottom/right;
 * when the input's spatial size is only known at run time the SAME_UPPER auto-pad (the same rule,
 * computed by ONNX Runtime) is used instead.
 */
record SpatialWindow(
    long[] kernel,
    long[] strides,
    long[] dilations,
    long[] pads,
    String autoPad,
    long outH,
    long outW) {

  static SpatialWindow of(TfNode n, Value x, long kh, long kw) {
    if (!n.stringAttr("data_format", "NHWC").equals("NHWC")) {
      throw new UnsupportedOpException(
          n.op(), n.name(), "data_format " + n.stringAttr("data_format", "") + " is not supported");
    }
    long[] s = n.intListAttr("strides");
    long[] d = n.hasAttr("dilations") ? n.intListAttr("dilations") : new long[] {1, 1, 1, 1};
    if (s.length != 4 || d.length != 4 || s[0] != 1 || s[3] != 1 || d[0] != 1 || d[3] != 1) {
      throw new UnsupportedOpException(
          n.op(), n.name(), "only spatial strides/dilations are supported");
    }
    long[] kernel = {kh, kw}, strides = {s[1], s[2]}, dilations = {d[1], d[2]};
    long inH = x.dim(1), inW = x.dim(2);
    long effH = (kh - 1) * d[1] + 1, effW = (kw - 1) * d[2] + 1;
    String padding = n.stringAttr("padding", "VALID");
    switch (padding) {
      case "VALID":
        return new SpatialWindow(
            kernel,
            strides,
            dilations,
            new long[4],
            null,
            inH < 0 ? -1 : (inH - effH) / s[1] + 1,
            inW < 0 ? -1 : (inW - effW) / s[2] + 1);
      case "SAME":
        {
          if (inH < 0 || inW < 0) {
            return new SpatialWindow(
                kernel,
                strides,
                dilations,
                null,
                "SAME_UPPER",
                Shapes.ceilDiv(inH, s[1]),
                Shapes.ceilDiv(inW, s[2]));
          }
          long outH = Shapes.ceilDiv(inH, s[1]), outW = Shapes.ceilDiv(inW, s[2]);
          long padH = Math.max((outH - 1) * s[1] + effH - inH, 0),
              padW = Math.max((outW - 1) * s[2] + effW - inW, 0);
          return new SpatialWindow(
              kernel,
              strides,
              dilations,
              new long[] {padH / 2, padW / 2, padH - padH / 2, padW - padW / 2},
              null,
              outH,
              outW);
        }
      case "EXPLICIT":
        {
          long[] e = n.intListAttr("explicit_paddings");
          if (e.length != 8)
            throw new UnsupportedOpException(n.op(), n.name(), "explicit_paddings needs 8 values");
          long[] pads = {e[2], e[4], e[3], e[5]};
          return new SpatialWindow(
              kernel,
              strides,
              dilations,
              pads,
              null,
              inH < 0 ? -1 : (inH + e[2] + e[3] - effH) / s[1] + 1,
              inW < 0 ? -1 : (inW + e[4] + e[5] - effW) / s[2] + 1);
        }
      default:
        throw new UnsupportedOpException(
            n.op(), n.name(), "padding " + padding + " is not supported");
    }
  }

  /** The ONNX attributes common to Conv, MaxPool and AveragePool. */
  java.util.List<multimodal.onnx.AttributeProto> attributes(boolean withDilations) {
    java.util.List<multimodal.onnx.AttributeProto> a = new java.util.ArrayList<>();
    a.add(OnnxGraph.ints("kernel_shape", kernel));
    a.add(OnnxGraph.ints("strides", strides));
    if (withDilations) a.add(OnnxGraph.ints("dilations", dilations));
    if (autoPad != null) a.add(OnnxGraph.attr("auto_pad", autoPad));
    else a.add(OnnxGraph.ints("pads", pads));
    return a;
  }
}
